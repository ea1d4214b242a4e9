import { UnauthorizedError, type GenesisBody, type SignedEntry } from '@mutual/protocol'

/**
 * Decides whether an entry's author may write it into its space at this point of history.
 * Runs on every node for every entry, after the chain checks; throws UnauthorizedError.
 */
export interface Authorizer {
  authorize (entry: SignedEntry, genesis: SignedEntry<GenesisBody>): void
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
