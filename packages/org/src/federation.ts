import { GENESIS_TYPE, UnauthorizedError, type GenesisBody, type SignedEntry } from '@mutual/protocol'
import type { Authorizer } from '@mutual/log'
import { canonical, idOf, isEntry } from './entries.js'
import { adminProof, refNotBefore } from './evidence.js'
import { FEDERATION_ACCEPT, FEDERATION_CHARTER, type AcceptBody, type CharterBody } from './federation-records.js'
import { MisplacedRecordError, MissingEvidenceError, RefOrderError, RevokedError, TallyMismatchError } from './errors.js'
import { resolveSource, type OrgSourceInit } from './source.js'

export interface FederationAuthorizerInit {
  orgs?: OrgSourceInit
}

const FEDERATION_TYPES = new Set([FEDERATION_CHARTER, FEDERATION_ACCEPT])

/**
 * The write rules of federation spaces (kind `federation`). The creator writes the charter as
 * their first entry after the genesis. An organization accepts by an entry of one of its admins
 * naming in refs the charter and their admin evidence (the org's genesis for its founder, else
 * the admin change and its enacting approval), plus the accepts they have seen. Anything else is
 * the creator's and the genesis's listed writers'. Outside federation spaces these records are
 * refused.
 */
export function federationAuthorizer (init: FederationAuthorizerInit = {}): Authorizer {
  return {
    authorize (entry, genesis, refs) {
      const { type, author, seq } = entry.entry
      if (genesis.entry.body.kind !== 'federation') {
        if (FEDERATION_TYPES.has(type)) throw new MisplacedRecordError(`${type} belongs in a federation space`)
        return
      }
      const late = refNotBefore(entry, refs)
      if (late !== undefined) throw new RefOrderError(`${type} names ${idOf(late)}, stamped no earlier than itself`)
      if (type === FEDERATION_CHARTER) {
        if (author !== genesis.entry.author || seq !== 2) throw new MisplacedRecordError('the charter is the creator\'s first entry after the genesis')
        return
      }
      if (type !== FEDERATION_ACCEPT) {
        const { policy } = genesis.entry.body
        if (author === genesis.entry.author || policy.writers.includes(author)) return
        throw new UnauthorizedError(`${author} may not write ${type} to federation ${entry.space}`)
      }
      const body = entry.entry.body as AcceptBody
      const charter = charterIn(entry.space, refs)
      if (charter === undefined) throw new MissingEvidenceError('an acceptance names the federation\'s charter in refs')
      if (!charter.entry.body.orgs.includes(body.org)) throw new UnauthorizedError(`${body.org} is not in the charter of ${entry.space}`)
      adminProof(body.org, author, refs)
      const expected = new Set([body.org, ...acceptedIn(entry.space, refs)])
      if (expected.size !== body.accepted.length || !body.accepted.every((o) => expected.has(o))) {
        throw new TallyMismatchError('accepted is not this organization plus those the named accepts list')
      }
      const bound = resolveSource(init.orgs)?.cutoff(body.org, author, entry.space)
      if (bound !== undefined && seq > bound) throw new RevokedError(`${author} was cut off by ${body.org} after seq ${bound} in ${entry.space}`)
    }
  }
}

/** The federation's charter among refs. */
export function charterIn (federation: string, refs: SignedEntry[]): SignedEntry<CharterBody> | undefined {
  return refs.find((r) => isEntry<CharterBody>(r, FEDERATION_CHARTER, federation)) as SignedEntry<CharterBody> | undefined
}

/** Every organization the accepts among refs count as accepted. */
export function acceptedIn (federation: string, refs: SignedEntry[]): Set<string> {
  const out = new Set<string>()
  for (const r of refs) if (isEntry<AcceptBody>(r, FEDERATION_ACCEPT, federation)) for (const o of r.entry.body.accepted) out.add(o)
  return out
}

/**
 * The organizations of a federation in force, from refs alone: the charter and accepts whose
 * `accepted` together cover it. Undefined when the refs do not show it in force.
 */
export function federationOrgsIn (federation: string, refs: SignedEntry[]): string[] | undefined {
  const charter = charterIn(federation, refs)
  if (charter === undefined) return undefined
  const accepted = acceptedIn(federation, refs)
  return charter.entry.body.orgs.every((o) => accepted.has(o)) ? [...charter.entry.body.orgs] : undefined
}

export interface FederationState {
  federation: string
  creator: string
  charter?: { id: string, orgs: string[] }
  /** org → ids of its accepts */
  accepts: Map<string, string[]>
  inForce: boolean
  /** the first accept (canonical order) whose closure covers the charter */
  inForceAt?: string
}

/** A federation's state: a pure function of its space's entries. */
export function federationState (entries: Iterable<SignedEntry>): FederationState {
  const all = [...entries]
  const genesis = all.find((e) => e.entry.type === GENESIS_TYPE && (e.entry.body as GenesisBody).kind === 'federation')
  if (genesis === undefined) throw new MissingEvidenceError('no federation genesis among the entries')
  const sorted = canonical(all.filter((e) => e.space === genesis.space))
  const state: FederationState = { federation: genesis.space, creator: genesis.entry.author, accepts: new Map(), inForce: false }
  for (const e of sorted) {
    if (isEntry<CharterBody>(e, FEDERATION_CHARTER) && e.entry.author === state.creator && state.charter === undefined) {
      state.charter = { id: idOf(e), orgs: [...e.entry.body.orgs] }
    } else if (isEntry<AcceptBody>(e, FEDERATION_ACCEPT) && state.charter?.orgs.includes(e.entry.body.org) === true) {
      const list = state.accepts.get(e.entry.body.org) ?? []
      list.push(idOf(e))
      state.accepts.set(e.entry.body.org, list)
      if (state.inForceAt === undefined && state.charter.orgs.every((o) => e.entry.body.accepted.includes(o))) state.inForceAt = idOf(e)
    }
  }
  state.inForce = state.charter !== undefined && state.charter.orgs.every((o) => state.accepts.has(o))
  return state
}

/** True once every organization of the charter has accepted. */
export function federationInForce (entries: Iterable<SignedEntry>): boolean {
  return federationState(entries).inForce
}
