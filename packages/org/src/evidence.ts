import { compareStamps, type GenesisBody, type SignedEntry, type Stamp } from '@mutual/protocol'
import { cidText, compareEntries, genesisIn, idOf, isEntry, wallOf } from './entries.js'
import {
  DEFAULT_THRESHOLD, ORG_APPROVE, ORG_CREDENTIAL, ORG_PROPOSE,
  type ApproveBody, type CredentialBody, type ProposeBody, type Threshold
} from './org-records.js'
import { CredentialExpiredError, ForgedCredentialError, MissingEvidenceError, NotAdminError, ThresholdNotMetError } from './errors.js'
import type { Role } from './roles.js'

/*
 * Pure checks of authority from an entry's refs. The log holds an entry until everything it
 * names in refs is present, and every present entry passed these same checks, so an entry
 * found among refs is valid evidence: its own claims (an approval's tally, a proposal's
 * threshold) were checked against its refs when it was admitted. Verdicts therefore depend on
 * signed data only and are the same on every node, whatever the arrival order.
 */

export type AdminProof =
  | { via: 'founder', genesis: string }
  | { via: 'approval', proposal: string, approval: string }

/**
 * How `author` is an admin of `org`: as its founder (the org's genesis, given or among refs), or
 * by an admin change that adds them, named in refs with the approval that enacted it.
 */
export function adminProof (org: string, author: string, refs: SignedEntry[], genesis?: SignedEntry<GenesisBody>): AdminProof {
  const orgGenesis = genesis?.space === org ? genesis : genesisIn(refs, org)
  if (orgGenesis !== undefined && orgGenesis.entry.body.kind === 'org' && orgGenesis.entry.author === author) {
    return { via: 'founder', genesis: org }
  }
  let unmet: string | undefined
  for (const p of refs) {
    if (!isEntry<ProposeBody>(p, ORG_PROPOSE, org)) continue
    const change = p.entry.body.change
    if (change.kind !== 'admins' || !change.add.includes(author)) continue
    const pid = idOf(p)
    const approvals = refs.filter((a) => isEntry<ApproveBody>(a, ORG_APPROVE, org) && cidText(a.entry.body.proposal) === pid) as Array<SignedEntry<ApproveBody>>
    const enacting = approvals.find((a) => a.entry.body.enacts)
    if (enacting !== undefined) return { via: 'approval', proposal: pid, approval: idOf(enacting) }
    unmet = pid
  }
  if (unmet !== undefined) {
    throw new ThresholdNotMetError(`the admin change ${unmet} naming ${author} is not enacted by any approval in refs`)
  }
  throw new NotAdminError(`${author} is not an admin of ${org}: not its founder, and no enacted admin change naming them in refs`)
}

/**
 * The credentials among refs that make `member` a holder in one of `orgs`, unexpired at `ts`.
 * A credential-typed ref of another organization or member is a forgery; none at all is
 * missing evidence; only expired ones is an expired credential.
 */
export function credentialsOf (orgs: ReadonlySet<string>, member: string, refs: SignedEntry[], ts: Stamp): Array<SignedEntry<CredentialBody>> {
  const offered = refs.filter((r) => r.entry.type === ORG_CREDENTIAL) as Array<SignedEntry<CredentialBody>>
  const genuine = offered.filter((c) => orgs.has(c.space) && c.entry.body.member === member)
  if (genuine.length === 0) {
    if (offered.length > 0) {
      throw new ForgedCredentialError(`no credential in refs is an org/credential of ${[...orgs].join(', ')} naming ${member}`)
    }
    throw new MissingEvidenceError(`${member} names no credential in refs`)
  }
  const live = genuine.filter((c) => c.entry.body.expires === undefined || wallOf(ts) < c.entry.body.expires)
  if (live.length === 0) throw new CredentialExpiredError(`every credential ${member} names had expired at ${wallOf(ts)}`)
  return live
}

/** The credentials among `creds` carrying one of `roles`; throws `error` if none does. */
export function withRole<T extends SignedEntry<CredentialBody>> (creds: T[], roles: readonly Role[], error: () => Error): T[] {
  const found = creds.filter((c) => c.entry.body.roles.some((r) => roles.includes(r)))
  if (found.length === 0) throw error()
  return found
}

/**
 * The threshold a proposal must at least meet, from the context it names in refs: the latest
 * enacted threshold change among refs (the default otherwise), and whether refs name a live
 * union representative's credential of the organization.
 */
export function contextThreshold (org: string, refs: SignedEntry[], ts: Stamp): { threshold: Threshold, unionReps: boolean } {
  let latest: { approval: SignedEntry<ApproveBody>, threshold: Threshold } | undefined
  for (const p of refs) {
    if (!isEntry<ProposeBody>(p, ORG_PROPOSE, org) || p.entry.body.change.kind !== 'threshold') continue
    const { admins, unionRep } = p.entry.body.change
    const pid = idOf(p)
    for (const a of refs) {
      if (!isEntry<ApproveBody>(a, ORG_APPROVE, org) || !a.entry.body.enacts || cidText(a.entry.body.proposal) !== pid) continue
      if (latest === undefined || compareEntries(a, latest.approval) > 0) latest = { approval: a, threshold: { admins, unionRep } }
    }
  }
  const unionReps = refs.some((c) => isEntry<CredentialBody>(c, ORG_CREDENTIAL, org) && c.entry.body.roles.includes('union-rep') &&
    (c.entry.body.expires === undefined || wallOf(ts) < c.entry.body.expires))
  return { threshold: latest?.threshold ?? DEFAULT_THRESHOLD, unionReps }
}

export interface Tally {
  admins: Set<string>
  unionReps: Set<string>
}

/** The approvers in the ref-closure of an approval: its own, and the tallies of the approvals of the same proposal it names. */
export function closureTally (org: string, proposal: string, author: string, as: ApproveBody['as'], refs: SignedEntry[]): Tally {
  const tally: Tally = { admins: new Set(), unionReps: new Set() }
  for (const a of refs) {
    if (!isEntry<ApproveBody>(a, ORG_APPROVE, org) || cidText(a.entry.body.proposal) !== proposal) continue
    for (const id of a.entry.body.tally.admins) tally.admins.add(id)
    for (const id of a.entry.body.tally.unionReps) tally.unionReps.add(id)
  }
  ;(as === 'admin' ? tally.admins : tally.unionReps).add(author)
  return tally
}

/** True when a tally meets a threshold. A union representative is required only when the threshold asks for one. */
export function meetsThreshold (tally: { admins: { size: number } | readonly string[], unionReps: { size: number } | readonly string[] }, threshold: Threshold): boolean {
  const count = (s: { size: number } | readonly string[]): number => Array.isArray(s) ? s.length : (s as { size: number }).size
  return count(tally.admins) >= threshold.admins && (!threshold.unionRep || count(tally.unionReps) >= 1)
}

/** Throws RefOrderError-worthy detail: the first ref not stamped strictly before the entry. */
export function refNotBefore (entry: SignedEntry, refs: SignedEntry[]): SignedEntry | undefined {
  return refs.find((r) => compareStamps(r.entry.ts, entry.entry.ts) >= 0)
}
