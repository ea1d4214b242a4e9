import { InvalidArgumentError } from 'commander'
import type { NameKind } from '@mutual/client'

/**
 * Parsers of arguments and options. An id argument (`ref`, `refs`) takes a whole id, an
 * unambiguous prefix of one, or a name this node knows; the parser checks only its bounds and
 * marks the argument, and the program's `preAction` hook (resolve.ts) asks the daemon what it
 * means before the action runs. A malformed argument is a usage error (exit 2); an ambiguous
 * name too (AmbiguousNameError); an unknown one is the daemon's to refuse (exit 4).
 */

const KINDS = new WeakMap<object, NameKind>()

function bounded (kind: NameKind, text: string): string {
  if (text.trim() === '' || text.length > 200 || [...text].some((ch) => ch.charCodeAt(0) < 32)) throw new InvalidArgumentError(`"${text.slice(0, 200)}" is not ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} id, prefix or name`)
  return text
}

/** An argument or option naming one thing of `kind`. */
export function ref (kind: NameKind): (text: string) => string {
  const parser = (text: string): string => bounded(kind, text)
  KINDS.set(parser, kind)
  return parser
}

/** A repeatable option or variadic argument naming things of `kind`. */
export function refs (kind: NameKind): (text: string, previous?: string[]) => string[] {
  const parser = (text: string, previous: string[] = []): string[] => [...previous, bounded(kind, text)]
  KINDS.set(parser, kind)
  return parser
}

/** The kind an argument's parser names, if it is an id argument. */
export function kindOf (parser: unknown): NameKind | undefined {
  return typeof parser === 'function' ? KINDS.get(parser) : undefined
}

export const boardId = ref('board')
export const taskId = ref('task')
export const orgId = ref('org')
export const identityId = ref('identity')

export function integer (min: number, max: number): (text: string) => number {
  return (text) => {
    const n = Number(text)
    if (text.trim() === '' || !Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`)
    return n
  }
}

export function estimate (text: string): number {
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of workload points, 0 or more')
  return n
}

export function repeatable (text: string, previous: string[] = []): string[] {
  return [...previous, text]
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 7 * 86400 }

/** `90s`, `45m`, `2h`, `7d`, `1w`, or combined as `1h30m`: a number of seconds. */
export function durationSeconds (text: string): number {
  const parts = [...text.matchAll(/(\d+)([smhdw])/g)]
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new InvalidArgumentError('expected a duration such as 30m, 2h, 7d or 1h30m')
  }
  const seconds = parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNITS[unit], 0)
  if (seconds < 1) throw new InvalidArgumentError('a duration must be at least 1s')
  return seconds
}

/** A JSON option value (for example a workflow); what it means is the daemon's to check. */
export function jsonValue (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new InvalidArgumentError(`not JSON: ${(err as Error).message}`)
  }
}

/** A path segment: ids are checked above, but a task id from elsewhere may hold any character. */
export function seg (text: string): string {
  return encodeURIComponent(text)
}
