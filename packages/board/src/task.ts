import * as Y from 'yjs'
import { InvalidTaskError } from './errors.js'

export interface Comment {
  id: string
  /** identity id of the commenter */
  author: string
  /** ISO time */
  at: string
  text: string
}

/** A task as read from the document: plain values, safe to keep after the document changes. */
export interface Task {
  id: string
  title: string
  description: string
  /** a workflow state id */
  status: string
  /** fractional index within the status column (`fractional-indexing`) */
  rank: string
  /** workload points */
  estimate: number
  labels: string[]
  /** ids of tasks this one waits for */
  dependencies: string[]
  /** ISO date or null */
  due: string | null
  comments: Comment[]
  createdBy: string
  createdAt: string
  /** when (ISO time) and by whom the task entered its current state; its creation until it first moves */
  entered: { at: string, by: string }
}

export interface NewTask {
  title: string
  description?: string
  /** defaults to the workflow's first state */
  status?: string
  estimate?: number
  labels?: string[]
  due?: string | null
}

export interface TaskEdit {
  title?: string
  description?: string
  estimate?: number
  labels?: string[]
  due?: string | null
}

export const LIMITS = {
  title: 200,
  description: 64 * 1024,
  labels: 32,
  label: 64,
  comment: 8 * 1024,
  estimate: 1_000_000
} as const

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/

/** Checks the fields of a new task or an edit; throws InvalidTaskError before anything is written. */
export function checkFields (fields: TaskEdit): void {
  if (fields.title !== undefined) {
    if (typeof fields.title !== 'string' || fields.title.trim() === '') throw new InvalidTaskError('a task needs a title')
    if (fields.title.length > LIMITS.title) throw new InvalidTaskError(`title longer than ${LIMITS.title} characters`)
  }
  if (fields.description !== undefined) {
    if (typeof fields.description !== 'string' || fields.description.length > LIMITS.description) {
      throw new InvalidTaskError(`description must be a string of at most ${LIMITS.description} characters`)
    }
  }
  if (fields.estimate !== undefined) {
    const e = fields.estimate
    if (typeof e !== 'number' || !Number.isFinite(e) || e < 0 || e > LIMITS.estimate) {
      throw new InvalidTaskError(`estimate must be a number from 0 to ${LIMITS.estimate}`)
    }
  }
  if (fields.labels !== undefined) {
    const l = fields.labels
    if (!Array.isArray(l) || l.length > LIMITS.labels || l.some((x) => typeof x !== 'string' || x === '' || x.length > LIMITS.label)) {
      throw new InvalidTaskError(`labels must be at most ${LIMITS.labels} non-empty strings of at most ${LIMITS.label} characters`)
    }
  }
  if (fields.due !== undefined && fields.due !== null) {
    if (typeof fields.due !== 'string' || !ISO_DATE.test(fields.due) || Number.isNaN(Date.parse(fields.due))) {
      throw new InvalidTaskError('due must be an ISO date (YYYY-MM-DD or a full ISO time) or null')
    }
  }
}

/**
 * Reads one task map. Anyone granted the board can write any Yjs structure, so every field is
 * read defensively: a value of the wrong kind reads as empty rather than failing the board.
 * Returns undefined for an entry that is not a task map.
 */
export function readTask (id: string, value: unknown): Task | undefined {
  if (!(value instanceof Y.Map)) return undefined
  const m = value as Y.Map<unknown>
  const description = m.get('description')
  const deps = m.get('dependencies')
  const comments = m.get('comments')
  const estimate = m.get('estimate')
  const labels = m.get('labels')
  const due = m.get('due')
  const entered = m.get('entered') as { at?: unknown, by?: unknown } | undefined
  const createdBy = str(m.get('createdBy'))
  const createdAt = str(m.get('createdAt'))
  return {
    id,
    title: str(m.get('title')),
    description: description instanceof Y.Text ? description.toString() : '',
    status: str(m.get('status')),
    rank: str(m.get('rank')),
    estimate: typeof estimate === 'number' && Number.isFinite(estimate) && estimate >= 0 ? estimate : 0,
    labels: Array.isArray(labels) ? labels.filter((x): x is string => typeof x === 'string') : [],
    dependencies: deps instanceof Y.Array ? [...new Set(deps.toArray().filter((x): x is string => typeof x === 'string'))] : [],
    due: typeof due === 'string' ? due : null,
    comments: comments instanceof Y.Array ? comments.toArray().filter(isComment) : [],
    createdBy,
    createdAt,
    entered: typeof entered === 'object' && entered !== null && typeof entered.at === 'string' && typeof entered.by === 'string'
      ? { at: entered.at, by: entered.by }
      : { at: createdAt, by: createdBy }
  }
}

function str (value: unknown): string {
  return typeof value === 'string' ? value : ''
}

function isComment (value: unknown): value is Comment {
  const c = value as Comment
  return typeof value === 'object' && value !== null && typeof c.id === 'string' && typeof c.author === 'string' &&
    typeof c.at === 'string' && typeof c.text === 'string'
}

/** Orders tasks by rank, then id: concurrent moves can give two tasks the same rank. */
export function compareRank (a: Pick<Task, 'id' | 'rank'>, b: Pick<Task, 'id' | 'rank'>): number {
  if (a.rank !== b.rank) return a.rank < b.rank ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/**
 * Replaces a Y.Text's content with `next` by its smallest edit (common prefix and suffix kept),
 * so concurrent edits elsewhere in the text survive.
 */
export function replaceText (text: Y.Text, next: string): void {
  const prev = text.toString()
  if (prev === next) return
  let start = 0
  const max = Math.min(prev.length, next.length)
  while (start < max && prev.charCodeAt(start) === next.charCodeAt(start)) start++
  // Never cut between the two halves of a surrogate pair.
  if (start > 0 && isHighSurrogate(prev.charCodeAt(start - 1))) start--
  let end = 0
  while (end < max - start && prev.charCodeAt(prev.length - 1 - end) === next.charCodeAt(next.length - 1 - end)) end++
  if (end > 0 && isLowSurrogate(prev.charCodeAt(prev.length - end))) end--
  if (prev.length - end - start > 0) text.delete(start, prev.length - end - start)
  if (next.length - end - start > 0) text.insert(start, next.slice(start, next.length - end))
}

function isHighSurrogate (code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff
}

function isLowSurrogate (code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567'

/** A short random id: 12 base32 characters (60 bits). */
export function randomId (): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  let id = ''
  for (const b of bytes) id += ALPHABET[b & 31]
  return id
}
