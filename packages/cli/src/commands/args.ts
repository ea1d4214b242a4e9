import { InvalidArgumentError } from 'commander'
import { parseCid } from '@mutual/protocol'

/**
 * Parsers of board and task arguments. A malformed argument is a usage error (exit 2) caught
 * here; a well-formed but unknown id is the daemon's to refuse (exit 4).
 */

export function boardId (text: string): string {
  if (parseCid(text) === undefined) throw new InvalidArgumentError(`"${text}" is not a board id`)
  return text
}

export function taskId (text: string): string {
  if (text.length === 0 || text.length > 64 || /[\s/?#%]/.test(text)) throw new InvalidArgumentError(`"${text}" is not a task id`)
  return text
}

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
