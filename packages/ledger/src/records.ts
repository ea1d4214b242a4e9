import { z } from 'zod'
import { cidString, schemas, type CID, type RecordType } from '@mutual/protocol'
import { PERIOD_PATTERN } from './period.js'

import {
  CONTRIB_ALLOCATE, CONTRIB_ATTEST, CONTRIB_ENDORSE, CONTRIB_FEEDBACK, CONTRIB_RECORD, DISPUTE_OPEN, DISPUTE_RESOLVE, MAX_TASK_ID, SETTLEMENT
} from '@mutual/protocol'

export {
  CONTRIB_ALLOCATE, CONTRIB_ATTEST, CONTRIB_ENDORSE, CONTRIB_FEEDBACK, CONTRIB_RECORD, DISPUTE_OPEN, DISPUTE_RESOLVE, MAX_TASK_ID, SETTLEMENT
}

export const LEDGER_TYPES = [
  CONTRIB_RECORD, CONTRIB_ATTEST, CONTRIB_FEEDBACK, CONTRIB_ENDORSE, CONTRIB_ALLOCATE, DISPUTE_OPEN, DISPUTE_RESOLVE, SETTLEMENT
] as const
export type LedgerType = typeof LEDGER_TYPES[number]

/** Bounds. Effort is in points; the recommended unit is a hundredth of an hour (1,000 hours at most per record). */
export const MAX_EFFORT = 100_000
export const MAX_EVIDENCE = 16
export const MAX_EVIDENCE_CHARS = 512
export const MAX_NOTE_CHARS = 2000
export const MAX_ALLOCATION_RECIPIENTS = 256
export const MAX_ALLOCATION_BUDGET = 1_000_000
/** Reviewers a contribution may ask to attest it. */
export const MAX_REQUESTED_REVIEWERS = 64
/** A settlement names every input entry; this many fit well inside the 1 MiB entry bound. */
export const MAX_SETTLEMENT_INPUTS = 16_384

export const CONTRIBUTION_KINDS = ['work', 'review', 'coordination', 'innovation', 'feedback'] as const
export type ContributionKind = typeof CONTRIBUTION_KINDS[number]

const period = z.string().regex(PERIOD_PATTERN, 'period must be YYYY-MM')
const taskId = z.string().min(1).max(MAX_TASK_ID)
const note = schemas.text(MAX_NOTE_CHARS)

export const contribRecordSchema = z.strictObject({
  task: taskId.optional(),
  /** the board space holding the task */
  board: schemas.cid.optional(),
  kind: z.enum(CONTRIBUTION_KINDS),
  effort: z.int().min(0).max(MAX_EFFORT),
  summary: z.string().min(1).max(1000),
  /** links or CIDs showing the work */
  evidence: z.array(z.string().min(1).max(MAX_EVIDENCE_CHARS)).max(MAX_EVIDENCE),
  period,
  /** the task's title when it was recorded from the task, so the link can be shown and audited */
  title: z.string().min(1).max(1000).optional(),
  /** the reviewers asked to attest it (recorded from a task: the org's reviewers at that time) */
  reviewers: z.array(schemas.identityId).max(MAX_REQUESTED_REVIEWERS)
    .refine((ids) => new Set(ids).size === ids.length, 'each reviewer at most once').optional()
})
export type ContribRecordBody = z.infer<typeof contribRecordSchema>

export const contribAttestSchema = z.strictObject({
  contribution: schemas.cid,
  verdict: z.enum(['accept', 'reject']),
  quality: z.int().min(0).max(5),
  note
})
export type ContribAttestBody = z.infer<typeof contribAttestSchema>

export const contribFeedbackSchema = z.strictObject({
  task: taskId,
  board: schemas.cid.optional(),
  satisfaction: z.int().min(1).max(5),
  note: note.optional()
})
export type ContribFeedbackBody = z.infer<typeof contribFeedbackSchema>

export const contribEndorseSchema = z.strictObject({
  contribution: schemas.cid,
  note: schemas.text(500).optional()
})
export type ContribEndorseBody = z.infer<typeof contribEndorseSchema>

export const contribAllocateSchema = z.strictObject({
  period,
  points: z.array(z.tuple([schemas.identityId, z.int().min(1).max(MAX_ALLOCATION_BUDGET)]))
    .max(MAX_ALLOCATION_RECIPIENTS)
    .refine((points) => new Set(points.map(([to]) => to)).size === points.length, 'each recipient at most once')
})
export type ContribAllocateBody = z.infer<typeof contribAllocateSchema>

export const disputeOpenSchema = z.strictObject({
  target: schemas.cid,
  reason: z.string().min(1).max(MAX_NOTE_CHARS)
})
export type DisputeOpenBody = z.infer<typeof disputeOpenSchema>

export const disputeResolveSchema = z.strictObject({
  dispute: schemas.cid,
  outcome: z.enum(['upheld', 'dismissed']),
  note,
  /** with `upheld`: remove the disputed contribution from the distribution */
  void: z.boolean().optional()
}).refine((b) => b.void !== true || b.outcome === 'upheld', 'only an upheld dispute can void')
export type DisputeResolveBody = z.infer<typeof disputeResolveSchema>

export const settlementSchema = z.strictObject({
  period,
  /** the org entry that ratified the valuation policy used */
  policy: schemas.cid,
  /** sha-256 of the canonical bytes of the distribution (`encodeDistribution`) */
  hash: schemas.bytes(32).refine((b) => b.byteLength === 32, 'hash must be 32 bytes'),
  /** how many entries the distribution used */
  inputs: z.int().min(0).max(MAX_SETTLEMENT_INPUTS),
  /** the ids of those entries, sorted by their string form, so a verifier can say what is missing or extra */
  ids: z.array(schemas.cid).max(MAX_SETTLEMENT_INPUTS)
}).refine((b) => b.ids.length === b.inputs, 'ids must list exactly `inputs` entries')
  .refine((b) => sortedUnique(b.ids.map((id) => cidString(id))), 'ids must be sorted and distinct')
export type SettlementBody = z.infer<typeof settlementSchema>

function sortedUnique (ids: string[]): boolean {
  for (let i = 1; i < ids.length; i++) if (!(ids[i - 1] < ids[i])) return false
  return true
}

/** The record types of the ledger, for the log's RecordRegistry. */
export function ledgerRecordTypes (): Array<RecordType<any>> {
  return [
    { type: CONTRIB_RECORD, schema: contribRecordSchema, maxEntryBytes: 16 * 1024 },
    { type: CONTRIB_ATTEST, schema: contribAttestSchema, maxEntryBytes: 8 * 1024 },
    { type: CONTRIB_FEEDBACK, schema: contribFeedbackSchema, maxEntryBytes: 8 * 1024 },
    { type: CONTRIB_ENDORSE, schema: contribEndorseSchema, maxEntryBytes: 4 * 1024 },
    { type: CONTRIB_ALLOCATE, schema: contribAllocateSchema, maxEntryBytes: 32 * 1024 },
    { type: DISPUTE_OPEN, schema: disputeOpenSchema, maxEntryBytes: 8 * 1024 },
    { type: DISPUTE_RESOLVE, schema: disputeResolveSchema, maxEntryBytes: 8 * 1024 },
    { type: SETTLEMENT, schema: settlementSchema, maxEntryBytes: 1024 * 1024 }
  ]
}

const SCHEMAS: Record<LedgerType, z.ZodType> = {
  [CONTRIB_RECORD]: contribRecordSchema,
  [CONTRIB_ATTEST]: contribAttestSchema,
  [CONTRIB_FEEDBACK]: contribFeedbackSchema,
  [CONTRIB_ENDORSE]: contribEndorseSchema,
  [CONTRIB_ALLOCATE]: contribAllocateSchema,
  [DISPUTE_OPEN]: disputeOpenSchema,
  [DISPUTE_RESOLVE]: disputeResolveSchema,
  [SETTLEMENT]: settlementSchema
}

export function isLedgerType (type: string): type is LedgerType {
  return Object.hasOwn(SCHEMAS, type)
}

/** The parsed body of a ledger entry, or undefined when the type is not the ledger's or the body does not match. */
export function parseLedgerBody (type: string, body: unknown): unknown {
  if (!isLedgerType(type)) return undefined
  const parsed = SCHEMAS[type].safeParse(body)
  return parsed.success ? parsed.data : undefined
}

/**
 * What ties consumer feedback to contributions: the task id and, when named, its board. A
 * feedback and a contribution are about the same task when both fields are equal (a missing
 * board equals only a missing board).
 */
export function taskKey (task: string, board: CID | undefined): string {
  return `${board === undefined ? '' : cidString(board)}/${task}`
}
