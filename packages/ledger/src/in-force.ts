import type { Point, Role, SignedEntry } from '@mutual/protocol'
import type { Participants } from './participants.js'
import { parsePolicy, type ValuationPolicy } from './policy.js'

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

/** A policy version as the organization enacted it: its body, and the approval that enacted it. */
export interface EnactedPolicy {
  version: number
  enactedBy: string
  policy: unknown
}

export interface PolicyInForce {
  policy: ValuationPolicy
  /** the org entry a settlement names: the enacting approval, or for the default the org's genesis (the org id) */
  ratifiedBy: string
  /** the org's policy version; 0 for the default */
  version: number
  isDefault: boolean
}

/**
 * The valuation policy in force: the latest enacted version that parses (a policy the ledger
 * cannot apply is skipped and the one before it stays in force), else the default, attributed
 * to the org itself so that a settlement still names an org entry.
 */
export function policyInForce (org: string, enacted: readonly EnactedPolicy[]): PolicyInForce {
  for (const version of [...enacted].reverse()) {
    try {
      return { policy: parsePolicy(version.policy), ratifiedBy: version.enactedBy, version: version.version, isDefault: false }
    } catch (err) {
      if ((err as Error).name !== 'InvalidPolicyError') throw err
    }
  }
  return { policy: DEFAULT_VALUATION_POLICY, ratifiedBy: org, version: 0, isDefault: true }
}

/** The policy a settlement names: the enacted version whose approval is `ratifiedBy`, else the default. */
export function policyNamed (ratifiedBy: string, enacted: readonly EnactedPolicy[]): ValuationPolicy {
  const version = enacted.find((v) => v.enactedBy === ratifiedBy)
  return version === undefined ? DEFAULT_VALUATION_POLICY : parsePolicy(version.policy)
}

/** Participants with no one in them: every role check fails. */
export const NO_PARTICIPANTS: Participants = Object.freeze({ roles: () => [], operatorOf: () => undefined })

/**
 * The ledger's participants across many ledger spaces: each entry's space is answered by the
 * participants `lookup` finds for it (its organization's), or by no one. At write time only
 * authors are compared, so `operatorOf` answers nothing here; the distribution takes the one
 * space's participants, which know operators.
 */
export function participantsBySpace (lookup: (space: string) => Participants | undefined): Participants {
  return {
    roles: (id: string, at: Point): readonly Role[] => lookup(at.space)?.roles(id, at) ?? [],
    operatorOf: () => undefined,
    grants: (ref: SignedEntry, id: string, role: Role, at: Point): boolean => lookup(at.space)?.grants?.(ref, id, role, at) === true
  }
}
