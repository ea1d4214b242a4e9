import { UnauthorizedError, type GenesisBody, type SignedEntry } from '@mutual/protocol'

/**
 * Decides whether an entry's author may write it into its space. Runs on every node for every
 * entry, after the chain checks; throws UnauthorizedError. It sees the space's genesis and the
 * entries the entry names in `refs` (held back until they are here), so its verdict depends on
 * signed data only, never on arrival order.
 */
export interface Authorizer {
  authorize (entry: SignedEntry, genesis: SignedEntry<GenesisBody>, refs: SignedEntry[]): void
}

/** The rule a space's genesis states: the creator and listed writers, or anyone for open spaces. */
export function genesisPolicy (): Authorizer {
  return {
    authorize (entry, genesis) {
      const { policy } = genesis.entry.body
      const author = entry.entry.author
      if (policy.write === 'anyone' || author === genesis.entry.author || policy.writers.includes(author)) return
      throw new UnauthorizedError(`${author} may not write to space ${entry.space}`)
    }
  }
}
