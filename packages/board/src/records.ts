import { z } from 'zod'
import { schemas, type RecordType } from '@mutual/protocol'
import { MAX_UPDATE_BYTES } from './update-check.js'

export const BOARD_UPDATE = 'board/update'
export const BOARD_GRANT = 'board/grant'
export const BOARD_REMOVE = 'board/remove'
export const TASK_CLAIM = 'task/claim'
export const TASK_RELEASE = 'task/release'
export const TASK_ASSIGN = 'task/assign'
export const BOARD_MARKET = 'board/market'

import { MAX_TASK_ID } from '@mutual/protocol'

export { MAX_TASK_ID }

/**
 * A Yjs update. The schema bounds its size only: decoding an update costs far more than checking
 * a signature, so `checkUpdate` runs last, in `boardAuthorizer`, once the entry is known to be
 * signed, in its chain and from a writer (DESIGN §3: cheapest checks first, body rules last).
 */
export const boardUpdateSchema = z.strictObject({ update: schemas.bytes(MAX_UPDATE_BYTES) })
export type BoardUpdateBody = z.infer<typeof boardUpdateSchema>

/** Lets `writer` write the board; only the board's creator may grant. */
export const boardGrantSchema = z.strictObject({ writer: schemas.identityId })
export type BoardGrantBody = z.infer<typeof boardGrantSchema>

/**
 * Removes `writer` from the board; only its creator may. `seq` is the writer's head in the board
 * as the creator saw it: their entries past it stop counting on every node (a cut-off by sequence
 * number, so backdating does not help), and nothing more of theirs is taken.
 */
export const boardRemoveSchema = z.strictObject({ writer: schemas.identityId, seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) })
export type BoardRemoveBody = z.infer<typeof boardRemoveSchema>

export const taskClaimSchema = z.strictObject({ task: z.string().min(1).max(MAX_TASK_ID) })
export type TaskClaimBody = z.infer<typeof taskClaimSchema>

/**
 * Assigns a task to a person (`assignee`), or clears its assignee (`null`). Only someone who
 * administers the board writes it: its creator, or an admin of an organization the board is
 * granted to (`boardAssignRule`). The latest assignment of a task by stamp, then entry id, is
 * in force; the assignee's own claim of the task confirms it (`assignmentState`).
 */
export const taskAssignSchema = z.strictObject({ task: z.string().min(1).max(MAX_TASK_ID), assignee: schemas.identityId.nullable() })
export type TaskAssignBody = z.infer<typeof taskAssignSchema>

/**
 * The market a board announces its ready tasks to (`Board.ready()`, not held), or none. Any writer
 * may sign one; the setting in force is the latest (by stamp, then id) signed by someone who may
 * administer the board, and that person's node announces.
 */
export const boardMarketSchema = z.strictObject({ market: schemas.cid.nullable() })
export type BoardMarketBody = z.infer<typeof boardMarketSchema>

/** The record types of boards, for the log's RecordRegistry. */
export function boardRecordTypes (): Array<RecordType<any>> {
  return [
    // The update plus the entry's other fields and signature, with room to spare.
    { type: BOARD_UPDATE, schema: boardUpdateSchema, maxEntryBytes: MAX_UPDATE_BYTES + 4 * 1024 },
    { type: BOARD_GRANT, schema: boardGrantSchema, maxEntryBytes: 4 * 1024 },
    { type: BOARD_REMOVE, schema: boardRemoveSchema, maxEntryBytes: 4 * 1024 },
    { type: TASK_CLAIM, schema: taskClaimSchema, maxEntryBytes: 4 * 1024 },
    { type: TASK_RELEASE, schema: taskClaimSchema, maxEntryBytes: 4 * 1024 },
    { type: TASK_ASSIGN, schema: taskAssignSchema, maxEntryBytes: 4 * 1024 },
    { type: BOARD_MARKET, schema: boardMarketSchema, maxEntryBytes: 4 * 1024 }
  ]
}
