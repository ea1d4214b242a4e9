import type { ContributionKind } from './records.js'

/** Why an input entry was left out. Stable strings: they are part of the hashed distribution. */
export type IgnoreReason =
  | 'frozen-author' | 'outside-period' | 'not-member' | 'not-reviewer' | 'not-consumer' | 'not-resolver'
  | 'self-attestation' | 'self-endorsement' | 'self-resolution'
  | 'duplicate-attestation' | 'duplicate-endorsement' | 'duplicate-feedback'
  | 'after-decision' | 'superseded' | 'over-budget'

/** Why a contribution does not count. */
export type ContributionReason =
  | 'frozen-author' | 'outside-period' | 'not-member' | 'voided' | 'rejected' | 'too-few-attestations'

/** Why points in a counted allocation were dropped. */
export type DroppedPointsReason = 'self' | 'frozen-author' | 'not-member'

/**
 * The five raw components. Effort in points; quality and satisfaction in effort × milli-units
 * (so 1,000 is one effort point at mean quality 1, or at mean satisfaction one step above the
 * lowest); endorsement in endorsers; allocation in points received.
 */
export interface Components {
  effort: number
  quality: number
  satisfaction: number
  endorsement: number
  allocation: number
}

export interface ContributionLine {
  id: string
  author: string
  /** who is paid for it: the author, or the author's operator when the author is an agent */
  paidTo: string
  kind: ContributionKind
  effort: number
  counted: boolean
  reason?: ContributionReason
  /** accepting and rejecting attestations that count (distinct reviewers, not the author's party) */
  accepts: number
  rejects: number
  /** mean quality of the accepting attestations × 1000, rounded down (0..5000) */
  quality: number
  /** consumer ratings that count for it */
  ratings: number
  /** mean of (satisfaction − 1) over those ratings × 1000, rounded down (0..4000) */
  satisfaction: number
  endorsements: number
  /** what it adds to its author's raw components (zero when not counted) */
  components: Omit<Components, 'allocation'>
}

export interface AllocationLine {
  id: string
  author: string
  counted: boolean
  reason?: IgnoreReason
  /** the points that count, by recipient */
  points: Array<[string, number]>
  /** recipients whose points were dropped, and why */
  dropped: Array<[string, DroppedPointsReason]>
}

export interface DisputeLine {
  id: string
  target: string
  opener: string
  status: 'open' | 'upheld' | 'dismissed'
  void: boolean
  /** the resolution entries that decided it: one auditor's, or an admin's and a union representative's */
  decidedBy: string[]
}

export interface ParticipantLine {
  id: string
  paidTo: string
  components: Components
}

export interface ShareLine {
  participant: string
  /** parts per million of the period's value; all lines sum to exactly 1,000,000 */
  ppm: number
  /** agents whose value this participant receives as their operator */
  agents: string[]
}

export interface IgnoredLine {
  id: string
  type: string
  author: string
  reason: IgnoreReason
}

/**
 * The outcome of `distribute`: shares and the explanation of every number. Every list is in a
 * canonical order (by id), every number an integer, so `encodeDistribution` gives the same bytes
 * on every machine.
 */
export interface Distribution {
  v: 1
  period: string
  /** the valuation policy's version */
  policy: number
  /** frozen identities (equivocators) that authored or would have received something here */
  frozen: string[]
  totals: Components
  shares: ShareLine[]
  participants: ParticipantLine[]
  contributions: ContributionLine[]
  allocations: AllocationLine[]
  disputes: DisputeLine[]
  ignored: IgnoredLine[]
  /** ids of every entry in scope for the period, sorted: what a settlement commits to */
  inputs: string[]
}
