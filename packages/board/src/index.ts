/**
 * @packageDocumentation
 * Task boards over Mutual spaces (DESIGN §5): a board is a space of kind `board` whose
 * `board/update` entries carry Yjs updates, checked before anything is applied. The task model
 * (workflow, ranks, dependencies, comments) lives in the document; claims are entries, resolved
 * by one deterministic rule. Pure functions of a space's entries plus `BoardReplica`, the
 * stateful view a node keeps per board. No networking.
 */
export { Board, ROOTS, type BoardInit, type MoveTo } from './board.js'
export { type Task, type Comment, type NewTask, type TaskEdit, LIMITS } from './task.js'
export { type Workflow, type WorkflowState, defaultWorkflow, validateWorkflow, allowsTransition, activeStates } from './workflow.js'
export { overLimit } from './wip.js'
export { changeWorkflow, type WorkflowChange } from './workflow-change.js'
export {
  boardRecordTypes, boardUpdateSchema, boardGrantSchema, taskClaimSchema, taskAssignSchema, TASK_ASSIGN, type TaskAssignBody, BOARD_UPDATE, BOARD_GRANT, BOARD_REMOVE, boardRemoveSchema, type BoardRemoveBody, TASK_CLAIM, TASK_RELEASE, MAX_TASK_ID,
  BOARD_MARKET, boardMarketSchema, type BoardMarketBody, type BoardUpdateBody, type BoardGrantBody, type TaskClaimBody
} from './records.js'
export { boardAuthorizer, boardUpdateRule, boardAssignRule, type AdministersBoard } from './authorize.js'
export { checkUpdate, checkUpdateOnce, updateDecodes, MAX_UPDATE_BYTES, type UpdateShape } from './update-check.js'
export { claimState, claimRecord, handoverRecord, HANDOVER, type ClaimRecord, type Claimant, type TaskClaim } from './claims.js'
export { assignmentState, assignRecord, type AssignRecord, type TaskAssignment } from './assignments.js'
export { workload } from './workload.js'
export { taskHistory, boardHistory, type HistoryEvent } from './history.js'
export {
  readImportCsv, boardCsv, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, IMPORT_COLUMNS, EXPORT_COLUMNS,
  type CsvImport, type ImportRow, type RefusedRow, type ImportField
} from './csv.js'
export { snapshotKey, type BoardSnapshot } from './snapshot.js'
export { BoardReplica, type BoardReplicaInit, type BoardEvent, type BoardListener } from './replica.js'
export type { EntryCodec } from './codec.js'
export { createBoard, type CreateBoardOptions } from './create.js'
export * from './errors.js'
export { applyTextUpdate, replicaDiff, MAX_TEXT_UPDATE_BYTES } from './text-update.js'
