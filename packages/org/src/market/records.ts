import { z } from 'zod'
import { MAX_TASK_ID, schemas, type RecordType } from '@mutual/protocol'
import { millisSchema, spaceIdSchema, uniqueList } from '../schema.js'

export const TASK_ANNOUNCE = 'task/announce'
export const TASK_APPLY = 'task/apply'
export const TASK_ACCEPT = 'task/accept'
export const TASK_DECLINE = 'task/decline'

const amount = z.number().nonnegative().max(1e12)

/** A task offered on a market: where it lives (board and task id, if on a board) and what it asks for. */
export const announceSchema = z.strictObject({
  board: spaceIdSchema.optional(),
  task: z.string().min(1).max(64).optional(),
  title: z.string().min(1).max(200),
  summary: schemas.text(4000),
  skills: uniqueList(schemas.text(64), 32),
  estimate: amount,
  valueWeight: amount,
  deadline: millisSchema.optional()
})
export type AnnounceBody = z.infer<typeof announceSchema>

export const applySchema = z.strictObject({ announcement: schemas.cid, note: schemas.text(2000) })
export type ApplyBody = z.infer<typeof applySchema>

/** An accept or decline of an application; the reason is required (every gatekeeping act carries one, DESIGN.md §1). */
export const decisionSchema = z.strictObject({ application: schemas.cid, reason: z.string().min(1).max(1000) })
export type DecisionBody = z.infer<typeof decisionSchema>

/**
 * What an acceptance hands over when its announcement names a board task: the applicant becomes
 * a writer of the board and the task's holder. Named in full so a board entry citing the
 * acceptance is judged from the acceptance alone (it must match the announcement and application).
 */
export const handoverSchema = z.strictObject({ board: spaceIdSchema, task: z.string().min(1).max(MAX_TASK_ID), applicant: schemas.identityId })
export type HandoverBody = z.infer<typeof handoverSchema>

/** An acceptance: a decision, with the hand-over of a board task where the announcement names one. */
export const marketAcceptSchema = z.strictObject({ ...decisionSchema.shape, handover: handoverSchema.optional() })
export type MarketAcceptBody = z.infer<typeof marketAcceptSchema>

export function marketRecordTypes (): Array<RecordType<any>> {
  return [
    { type: TASK_ANNOUNCE, schema: announceSchema, maxEntryBytes: 16 * 1024 },
    { type: TASK_APPLY, schema: applySchema, maxEntryBytes: 8 * 1024 },
    { type: TASK_ACCEPT, schema: marketAcceptSchema, maxEntryBytes: 4 * 1024 },
    { type: TASK_DECLINE, schema: decisionSchema, maxEntryBytes: 4 * 1024 }
  ]
}
