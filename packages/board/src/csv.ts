import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { ImportTooLargeError, InvalidCsvError } from './errors.js'
import { checkFields, type NewTask, type Task } from './task.js'
import type { Workflow } from './workflow.js'

/** The largest CSV file an import takes, in UTF-8 bytes. */
export const MAX_IMPORT_BYTES = 1024 * 1024
/** The most rows an import takes (one board update carries them all). */
export const MAX_IMPORT_ROWS = 5000

/** The task fields an import reads, and the header names that mean each (compared case-insensitively). */
export const IMPORT_COLUMNS = {
  // Trello "Card Name", Jira "Summary", GitHub "title"
  title: ['title', 'card name', 'summary', 'name', 'issue title', 'task'],
  // Trello "Card Description", GitHub "body"
  description: ['description', 'card description', 'body', 'desc'],
  // Trello "List Name", Jira "Status", GitHub "state"
  status: ['status', 'list name', 'state', 'list', 'column'],
  labels: ['labels', 'label', 'tags'],
  // Jira "Story Points" (or "Custom field (Story Points)")
  estimate: ['estimate', 'story points', 'custom field (story points)', 'story point estimate', 'points'],
  // Trello "Due Date", Jira "Due Date"
  due: ['due', 'due date', 'duedate', 'due on']
} as const

export type ImportField = keyof typeof IMPORT_COLUMNS

/** A row that becomes a task, by its line in the file (the header is line 1; a row spanning lines, the last of them). */
export interface ImportRow {
  line: number
  task: NewTask
}

/** A row left out, and why. */
export interface RefusedRow {
  line: number
  reason: string
}

export interface CsvImport {
  rows: ImportRow[]
  refused: RefusedRow[]
  /** which header each field was read from (null: none of the file's) */
  columns: Record<ImportField, string | null>
}

/**
 * Reads a CSV export of Trello, Jira, GitHub issues (or `boardCsv`) into tasks for `workflow`.
 * The first line is the header; columns are matched by the names in IMPORT_COLUMNS, ignoring case,
 * and the others are ignored (several columns of one name, as Jira gives labels, are read
 * together). Statuses match a workflow state's id or name, ignoring case (empty: the first state);
 * labels are separated by commas. A row with an unknown status, a bad estimate or date, no title,
 * or another number of fields than the header is refused with its line; the others are taken.
 * A file that is not CSV (an unclosed quote), has no title column, or is over the bounds throws
 * (InvalidCsvError, ImportTooLargeError): then nothing is taken. A pure function.
 */
export function readImportCsv (text: string, workflow: Workflow): CsvImport {
  if (Buffer.byteLength(text, 'utf8') > MAX_IMPORT_BYTES) throw new ImportTooLargeError(`a CSV file to import is at most ${MAX_IMPORT_BYTES} bytes`)
  let records: Array<{ record: string[], info: { lines: number } }>
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof records
  } catch (err) {
    const line = (err as { lines?: number }).lines
    throw new InvalidCsvError(`not a CSV file${line === undefined ? '' : ` (line ${line})`}: ${(err as Error).message}`, { cause: err })
  }
  if (records.length === 0) throw new InvalidCsvError('the file is empty: a CSV import needs a header line')
  if (records.length - 1 > MAX_IMPORT_ROWS) throw new ImportTooLargeError(`a CSV import takes at most ${MAX_IMPORT_ROWS} rows; this file has ${records.length - 1}`)
  const header = records[0].record.map((h) => h.trim().toLowerCase())
  const indexes = Object.fromEntries(Object.entries(IMPORT_COLUMNS).map(([field, names]) => [
    field, header.flatMap((h, i) => (names as readonly string[]).includes(h) ? [i] : [])
  ])) as Record<ImportField, number[]>
  const columns = Object.fromEntries(Object.entries(indexes).map(([field, at]) => [field, at.length === 0 ? null : records[0].record[at[0]].trim()])) as CsvImport['columns']
  if (indexes.title.length === 0) {
    throw new InvalidCsvError(`no title column: the header needs one of ${IMPORT_COLUMNS.title.map((n) => `"${n}"`).join(', ')} (any case)`)
  }
  const out: CsvImport = { rows: [], refused: [], columns }
  for (const { record, info } of records.slice(1)) {
    const line = info.lines
    if (record.length !== header.length) {
      out.refused.push({ line, reason: `${record.length} fields where the header has ${header.length}` })
      continue
    }
    try {
      out.rows.push({ line, task: rowTask(record, indexes, workflow) })
    } catch (err) {
      if ((err as Error).name !== 'InvalidTaskError' && (err as Error).name !== 'RowError') throw err
      out.refused.push({ line, reason: (err as Error).message })
    }
  }
  return out
}

/** A row's fault, reported with its line; never leaves this module. */
class RowError extends Error {
  override name = 'RowError'
}

function rowTask (record: string[], at: Record<ImportField, number[]>, workflow: Workflow): NewTask {
  const first = (field: ImportField): string => (at[field].map((i) => record[i].trim()).find((v) => v !== '') ?? '')
  const title = first('title')
  if (title === '') throw new RowError('no title')
  const task: NewTask = { title }
  const description = at.description.map((i) => record[i]).find((v) => v.trim() !== '')
  if (description !== undefined) task.description = description
  const status = first('status')
  if (status !== '') {
    const folded = status.toLowerCase()
    const state = workflow.states.find((s) => s.id.toLowerCase() === folded) ?? workflow.states.find((s) => s.name.toLowerCase() === folded)
    if (state === undefined) throw new RowError(`unknown status "${status.slice(0, 64)}" (the workflow's states: ${workflow.states.map((s) => s.id).join(', ')})`)
    task.status = state.id
  }
  const labels = [...new Set(at.labels.flatMap((i) => record[i].split(',')).map((l) => l.trim()).filter((l) => l !== ''))]
  if (labels.length > 0) task.labels = labels
  const estimate = first('estimate')
  if (estimate !== '') {
    const n = Number(estimate)
    if (!/^[0-9]+(\.[0-9]+)?$/.test(estimate) || !Number.isFinite(n)) throw new RowError(`bad estimate "${estimate.slice(0, 64)}": expected a number of points, 0 or more`)
    task.estimate = n
  }
  const due = first('due')
  if (due !== '') {
    try {
      checkFields({ due })
    } catch (err) {
      if ((err as Error).name !== 'InvalidTaskError') throw err
      throw new RowError(`bad date "${due.slice(0, 64)}": expected YYYY-MM-DD or an ISO time`)
    }
    task.due = due
  }
  checkFields(task)
  return task
}

/** The CSV columns of an export, in order: what an import reads back, and the rest for people. */
export const EXPORT_COLUMNS = ['id', 'title', 'description', 'status', 'labels', 'estimate', 'due', 'holder', 'dependencies'] as const

/** One row per task, with the header EXPORT_COLUMNS: `readImportCsv` reads it back (status by state id, labels by commas). */
export function boardCsv (tasks: ReadonlyArray<Task & { holder: string | null }>): string {
  return stringify([
    [...EXPORT_COLUMNS],
    ...tasks.map((t) => [t.id, t.title, t.description, t.status, t.labels.join(', '), String(t.estimate), t.due ?? '', t.holder ?? '', t.dependencies.join(' ')])
  ])
}
