import { UnauthorizedError, type GenesisBody, type SignedEntry } from '@mutual/protocol'
import { genesisPolicy, type Authorizer } from '@mutual/log'
import { BOARD_GRANT, BOARD_REMOVE, BOARD_UPDATE, TASK_ASSIGN } from './records.js'
import { checkUpdateOnce } from './update-check.js'

/**
 * Write rules of board spaces, and the genesis policy for every other space, so a daemon passes
 * `authorizers: [boardAuthorizer()]`. In a board, an author may write when they created it, are
 * listed in its genesis `policy.writers` (or the policy is `anyone`), or name in `refs` a
 * `board/grant` of this board, signed by its creator, that names them. Only the creator grants.
 * Then, as the last and costliest rule, a `board/update` must carry a well-formed update
 * (`checkUpdate`, InvalidUpdateError), so a bad one is never stored or forwarded.
 */
export function boardAuthorizer (): Authorizer {
  const fallback = genesisPolicy()
  return {
    authorize (entry, genesis, refs) {
      if (genesis.entry.body.kind === 'board') authorizeBoard(entry, genesis, refs)
      else fallback.authorize(entry, genesis, refs)
      if (entry.entry.type === BOARD_UPDATE) checkUpdateOnce((entry.entry.body as { update: Uint8Array }).update)
    }
  }
}

/**
 * The body rule of `board/update` alone, for every board whoever authorizes its writers (an
 * organization's grants, say, where `boardAuthorizer` is only the fallback): the update must be
 * well-formed (InvalidUpdateError). Each buffer is decoded once however many rules ask.
 */
export function boardUpdateRule (): Authorizer {
  return {
    authorize (entry, genesis) {
      if (genesis.entry.body.kind === 'board' && entry.entry.type === BOARD_UPDATE) checkUpdateOnce((entry.entry.body as { update: Uint8Array }).update)
    }
  }
}

/**
 * Says whether an entry's refs prove its author administers a board granted to organizations
 * (an admin of an org the space's policy grants); the org package's `administersGrantedSpace`.
 */
export type AdministersBoard = (entry: SignedEntry, genesis: SignedEntry<GenesisBody>, refs: SignedEntry[]) => boolean

/**
 * Who may assign tasks (`task/assign`), for every board whoever authorizes its writers: the
 * board's creator, or, where `administers` is given, someone whose refs prove they administer it
 * (an admin of an organization the board is granted to). Everyone else is refused
 * (UnauthorizedError), granted writers and org members included.
 */
export function boardAssignRule (init: { administers?: AdministersBoard } = {}): Authorizer {
  return {
    authorize (entry, genesis, refs) {
      if (genesis.entry.body.kind !== 'board' || entry.entry.type !== TASK_ASSIGN) return
      if (entry.entry.author === genesis.entry.author || init.administers?.(entry, genesis, refs) === true) return
      throw new UnauthorizedError(`only the board's creator or an admin of its organization assigns tasks; ${entry.entry.author} is neither`)
    }
  }
}

function authorizeBoard (entry: SignedEntry, genesis: SignedEntry<GenesisBody>, refs: SignedEntry[]): void {
  const author = entry.entry.author
  const creator = genesis.entry.author
  if (entry.entry.type === BOARD_GRANT || entry.entry.type === BOARD_REMOVE || entry.entry.type === TASK_ASSIGN) {
    if (author !== creator) throw new UnauthorizedError(`only the board's creator may grant or remove writers or assign tasks; ${author} is not`)
    return
  }
  if (author === creator || mayWrite(genesis.entry.body, author)) return
  if (refs.some((ref) => isGrantFor(ref, entry.space, creator, author))) return
  throw new UnauthorizedError(`${author} may not write to board ${entry.space}: not listed and no grant in refs`)
}

function mayWrite (body: GenesisBody, author: string): boolean {
  return body.policy.write === 'anyone' || body.policy.writers.includes(author)
}

/** True when `ref` is a grant of board `space` by its creator naming `writer`. */
export function isGrantFor (ref: SignedEntry, space: string, creator: string, writer: string): boolean {
  const body = ref.entry.body as { writer?: unknown } | null
  return ref.space === space && ref.entry.type === BOARD_GRANT && ref.entry.author === creator &&
    typeof body === 'object' && body !== null && body.writer === writer
}
