import type { SignedEntry } from '@mutual/protocol'
import { orgParticipants, type OrgRegistry, type OrgState } from '@mutual/org'
import { parsePolicy, type Participants, type Point, type Role, type ValuationPolicy } from '@mutual/ledger'

type OrgsSource = OrgRegistry | (() => OrgRegistry | undefined)

function resolve (orgs: OrgsSource): OrgRegistry | undefined {
  return typeof orgs === 'function' ? orgs() : orgs
}

/** The organization a ledger space is granted to: the first `{ org }` grant of its space policy. */
export function ledgerOrg (orgs: OrgRegistry, space: string): string | undefined {
  const policy = orgs.policy(space)
  if (policy === undefined) return undefined
  for (const grant of policy.grants) if ('org' in grant) return grant.org
  return undefined
}

function stateFor (orgs: OrgsSource, space: string): OrgState | undefined {
  const registry = resolve(orgs)
  if (registry === undefined) return undefined
  const org = ledgerOrg(registry, space)
  return org === undefined ? undefined : registry.state(org)
}

/**
 * The ledger's `Participants` for a daemon: for an entry in a ledger space, the organization its
 * space policy grants (through the OrgRegistry, read lazily because the registry is made after
 * the log) answers roles, agents' operators and credential refs. A space without an org grant,
 * or whose org this node does not hold, has no participants: every role check fails.
 */
export function daemonLedgerParticipants (orgs: OrgsSource): Participants {
  return {
    roles (id: string, at: Point): readonly Role[] {
      const state = stateFor(orgs, at.space)
      return state === undefined ? [] : orgParticipants(state).roles(id, at)
    },
    // The write-time rules compare authors only; the distribution uses spaceParticipants, which knows operators.
    operatorOf: () => undefined,
    grants (ref: SignedEntry, id: string, role: Role, at: Point): boolean {
      const state = stateFor(orgs, at.space)
      return state !== undefined && orgParticipants(state).grants(ref, id, role, at)
    }
  }
}

/** Participants bound to one ledger space's organization, for distribution (operators included). */
export function spaceParticipants (orgs: OrgRegistry, space: string): Participants {
  const state = stateFor(orgs, space)
  if (state === undefined) return { roles: () => [], operatorOf: () => undefined }
  return orgParticipants(state)
}

/**
 * The default valuation policy, used while an organization has enacted none: effort 40 %,
 * reviewed quality 30 %, consumer satisfaction 10 %, endorsement 10 %, allocation 10 %; one
 * accepting attestation per contribution; 100 allocation points per member and period.
 */
export const DEFAULT_VALUATION_POLICY: ValuationPolicy = Object.freeze({
  version: 1,
  period: 'month',
  weights: Object.freeze({ effort: 4000, quality: 3000, satisfaction: 1000, endorsement: 1000, allocation: 1000 }),
  minAttestations: 1,
  allocationBudget: 100,
  agentShare: 'operator'
}) as ValuationPolicy

/**
 * The valuation policy in force for a ledger space: the org's latest enacted policy that parses,
 * with the id of the approval that enacted it; else the default, attributed to the org's genesis
 * (the org space id), so a settlement still names an org entry.
 */
export function policyInForce (orgs: OrgRegistry, space: string): { policy: ValuationPolicy, ratifiedBy: string, version: number, isDefault: boolean } | undefined {
  const org = ledgerOrg(orgs, space)
  if (org === undefined) return undefined
  const state = orgs.state(org)
  for (const version of [...(state?.policies ?? [])].reverse()) {
    try {
      return { policy: parsePolicy(version.policy), ratifiedBy: version.enactedBy, version: version.version, isDefault: false }
    } catch {
      // a policy the ledger cannot apply is skipped; the one before it stays in force
    }
  }
  return { policy: DEFAULT_VALUATION_POLICY, ratifiedBy: org, version: 0, isDefault: true }
}
