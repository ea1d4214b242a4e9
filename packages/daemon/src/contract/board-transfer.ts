import { createRoute, z } from '@hono/zod-openapi'
import { MAX_IMPORT_BYTES } from '@mutual/board'
import { body, json, problems } from './common.js'
import { BoardParamSchema, HistoryEventSchema, TaskSchema, WorkflowSchema } from './boards.js'

/** A board's tasks out (JSON with history, or CSV) and in (the CSV Trello, Jira and GitHub export). */

export const ExportedTaskSchema = TaskSchema.extend({
  claimants: z.array(z.string()).openapi({ description: 'every active claimant, the holder first' }),
  history: z.array(HistoryEventSchema).openapi({ description: 'which signed entry changed what in the task' })
}).openapi('ExportedTask')

export const BoardExportSchema = z.object({
  v: z.literal(1),
  board: z.string(),
  name: z.string(),
  exportedAt: z.string(),
  workflow: WorkflowSchema,
  tasks: z.array(ExportedTaskSchema)
}).openapi('BoardExport')

export const BoardCsvSchema = z.object({
  board: z.string(),
  name: z.string(),
  rows: z.number().int(),
  csv: z.string().openapi({ description: 'one row per task: id, title, description, status, labels, estimate, due, holder, dependencies' })
}).openapi('BoardCsv')

export const ImportSchema = z.object({
  csv: z.string().openapi({ description: `the file's text; at most ${MAX_IMPORT_BYTES} bytes (ImportTooLargeError past it)` })
}).openapi('BoardImportInput')

export const ImportResultSchema = z.object({
  board: z.string(),
  imported: z.array(z.object({ line: z.number().int(), id: z.string(), title: z.string(), status: z.string() })),
  refused: z.array(z.object({ line: z.number().int(), reason: z.string() })).openapi({ description: 'rows left out, by line (the header is line 1)' }),
  columns: z.record(z.string(), z.string().nullable()).openapi({ description: 'per task field, the header it was read from' })
}).openapi('BoardImportResult')

export const boardTransferRoutes = {
  exportBoard: createRoute({
    method: 'get',
    path: '/api/v1/boards/{board}/export',
    summary: 'The board as JSON: name, workflow, and every task with its status, holder, labels, estimate, due date, dependencies, comments and history',
    request: { params: BoardParamSchema },
    responses: { 200: json(BoardExportSchema, 'the board'), ...problems(400, 401, 403, 404) }
  }),
  exportBoardCsv: createRoute({
    method: 'get',
    path: '/api/v1/boards/{board}/export/csv',
    summary: 'The board as CSV, one row per task (what `importBoard` reads back)',
    request: { params: BoardParamSchema },
    responses: { 200: json(BoardCsvSchema, 'the CSV'), ...problems(400, 401, 403, 404) }
  }),
  importBoard: createRoute({
    method: 'post',
    path: '/api/v1/boards/{board}/import',
    summary: 'Add the rows of a CSV file (Trello, Jira or GitHub export) as tasks, in one change; rows that do not fit are refused by line, a file that is not CSV changes nothing',
    request: { params: BoardParamSchema, body: body(ImportSchema) },
    responses: { 201: json(ImportResultSchema, 'what was imported and what was refused'), ...problems(400, 401, 403, 404, 413) }
  })
}

export type BoardExport = z.infer<typeof BoardExportSchema>
export type BoardCsv = z.infer<typeof BoardCsvSchema>
export type ImportResult = z.infer<typeof ImportResultSchema>
