import { z } from 'zod'
import { InvalidPolicyError } from './errors.js'
import { MAX_ALLOCATION_BUDGET } from './records.js'

/** Weights are basis points: they sum to exactly 10,000. */
export const BASIS_POINTS = 10_000

const weight = z.int().min(0).max(BASIS_POINTS)

/**
 * The valuation policy. It lives in the organization space (an `org/propose` of kind `policy`,
 * co-signed as the org requires) and is versioned there; the ledger only defines its shape and
 * applies it. Every number is an integer so that applying it needs no floating point.
 */
export const valuationPolicySchema = z.strictObject({
  version: z.int().min(1),
  period: z.literal('month'),
  weights: z.strictObject({
    /** share of recorded, accepted effort */
    effort: weight,
    /** effort times the reviewers' mean quality */
    quality: weight,
    /** effort times the consumers' mean satisfaction */
    satisfaction: weight,
    /** endorsements by other members */
    endorsement: weight,
    /** points received in members' allocation rounds */
    allocation: weight
  }).refine((w) => w.effort + w.quality + w.satisfaction + w.endorsement + w.allocation === BASIS_POINTS, 'weights must sum to 10000 basis points'),
  /** accepting attestations by distinct reviewers a contribution needs to count */
  minAttestations: z.int().min(0).max(32),
  /** points each member may allocate per period */
  allocationBudget: z.int().min(0).max(MAX_ALLOCATION_BUDGET),
  /** where an agent's share goes: to the person or organization operating it */
  agentShare: z.literal('operator')
})
export type ValuationPolicy = z.infer<typeof valuationPolicySchema>
export type Weights = ValuationPolicy['weights']

/** Checks a policy (for example the body of an org proposal); throws InvalidPolicyError. */
export function parsePolicy (value: unknown): ValuationPolicy {
  const parsed = valuationPolicySchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new InvalidPolicyError(`valuation policy: ${issue.path.join('.') || '(root)'}: ${issue.message}`)
  }
  return parsed.data
}
