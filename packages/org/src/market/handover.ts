import { CID, UnauthorizedError, type GenesisBody, type SignedEntry, type Stamp } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import { adminRefsOf, loadOrgState } from '../actions.js'
import { idOf, isEntry } from '../entries.js'
import { adminProof } from '../evidence.js'
import { grantsIn, policyIn } from '../policy-grants.js'
import { NotBoardAdminError, RevokedError } from '../errors.js'
import { policyEntry } from '../policy-entry.js'
import type { OrgSource } from '../source.js'
import { TASK_ACCEPT, type MarketAcceptBody } from './records.js'

/** A board task handed over by an acceptance in a market. */
export interface Handover {
  /** the acceptance's entry id */
  acceptance: string
  market: string
  board: string
  task: string
  applicant: string
  /** who signed the acceptance */
  acceptor: string
  ts: Stamp
}

/** The hand-over an entry makes: a `task/accept` with a `handover`; undefined for anything else. */
export function handoverOf (entry: SignedEntry): Handover | undefined {
  if (!isEntry<MarketAcceptBody>(entry, TASK_ACCEPT) || entry.entry.body.handover === undefined) return undefined
  const { board, task, applicant } = entry.entry.body.handover
  return { acceptance: idOf(entry), market: entry.space, board, task, applicant, acceptor: entry.entry.author, ts: entry.entry.ts }
}

/**
 * Checks that `author` may administer `board` from signed data only: they created it, or they
 * are an admin of an organization the board's policy (among `evidence`) grants, shown by their
 * admin proof among `evidence` (the org's genesis for its founder, else the enacted admin
 * change). Returns the org they administer it for (undefined: the creator). NotBoardAdminError otherwise.
 */
export function boardAdminOf (author: string, board: SignedEntry<GenesisBody>, evidence: SignedEntry[]): string | undefined {
  if (board.entry.body.kind !== 'board') throw new NotBoardAdminError(`${board.space} is not a board`)
  if (author === board.entry.author) return undefined
  const policy = policyIn(board.space, board, evidence)
  if (policy !== undefined) {
    for (const org of grantsIn(policy.entry.body, evidence).keys()) {
      try {
        adminProof(org, author, evidence)
        return org
      } catch (err) {
        if (!(err instanceof UnauthorizedError)) throw err
      }
    }
  }
  throw new NotBoardAdminError(`${author} may not administer board ${board.space}: neither its creator nor a proven admin of an org its policy grants`)
}

/**
 * The hand-over that admits a board entry whose author is not otherwise a writer: an acceptance
 * among refs that names this board and this author, signed by someone who may administer the
 * board (by the refs: the board's policy and the acceptor's admin proof) and not cut off by that
 * org in the market at the acceptance's seq. Undefined when refs name no such acceptance;
 * throws when they name one that grants nothing.
 */
export function handoverIn (entry: SignedEntry, genesis: SignedEntry<GenesisBody>, refs: SignedEntry[], source: OrgSource | undefined): Handover | undefined {
  let found: { handover: Handover, entry: SignedEntry } | undefined
  for (const r of refs) {
    const h = handoverOf(r)
    if (h !== undefined && h.board === entry.space && h.applicant === entry.entry.author) found = { handover: h, entry: r }
  }
  if (found === undefined) return undefined
  const org = boardAdminOf(found.handover.acceptor, genesis, refs)
  const bound = org === undefined ? undefined : source?.cutoff(org, found.handover.acceptor, found.handover.market)
  if (bound !== undefined && found.entry.entry.seq > bound) throw new RevokedError(`${found.handover.acceptor} was cut off by ${org} after seq ${bound} in ${found.handover.market}`)
  return found.handover
}

/**
 * What proves `author` may administer `board` on this log: the board's policy, and their admin
 * proof in an org it grants (the org's genesis for its founder, else the enacted admin change);
 * both empty for the board's creator. An acceptance handing over a task names the proof (the
 * policy is in the board, which the applicant's node may not hold yet); the applicant's board
 * entries name the acceptance, the policy and the proof. NotBoardAdminError when this log shows
 * no such authority.
 */
export async function boardAdminRefs (log: Log, board: string, author: string): Promise<{ policy?: CID, proof: CID[] }> {
  const genesis = log.genesis(board)
  if (genesis === undefined || genesis.entry.body.kind !== 'board') throw new NotBoardAdminError(`no board ${board.slice(0, 128)} here`)
  if (author === genesis.entry.author) return { proof: [] }
  const policy = await policyEntry(log, board)
  if (policy !== undefined) {
    for (const org of grantsIn(policy.entry.body, []).keys()) {
      if (log.genesis(org) === undefined) continue
      const state = await loadOrgState(log, org)
      const admin = state.admins.get(author)
      if (admin === undefined || admin.removed !== undefined) continue
      const proof = author === state.founder ? [org] : adminRefsOf(state, author)
      return { policy: policy.id, proof: proof.map((id) => CID.parse(id)) }
    }
  }
  throw new NotBoardAdminError(`${author} may not administer board ${board.slice(0, 128)}: neither its creator nor an admin of an org its policy grants`)
}
