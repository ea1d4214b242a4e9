import type { Stamp } from '@mutual/protocol'
import { InvalidPeriodError } from './errors.js'

/** A valuation period: one calendar month in UTC, written `YYYY-MM`. */
export const PERIOD_PATTERN = /^[0-9]{4}-(0[1-9]|1[0-2])$/

export function isPeriod (value: string): boolean {
  return PERIOD_PATTERN.test(value)
}

export function assertPeriod (value: string): void {
  if (typeof value !== 'string' || !isPeriod(value)) throw new InvalidPeriodError(`"${String(value).slice(0, 16)}" is not a YYYY-MM period`)
}

/** The UTC month of a stamp's wall time. ECMA-262 defines the calendar arithmetic exactly, so every machine agrees. */
export function periodOf (ts: Stamp): string {
  const date = new Date(ts[0])
  return `${String(date.getUTCFullYear()).padStart(4, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`
}

/** The month after `period`. */
export function nextPeriod (period: string): string {
  const year = Number(period.slice(0, 4))
  const month = Number(period.slice(5, 7))
  return month === 12
    ? `${String(year + 1).padStart(4, '0')}-01`
    : `${period.slice(0, 4)}-${String(month + 1).padStart(2, '0')}`
}

/**
 * Whether an entry stamped `ts` may speak for `period`: it was written during the period or in
 * the month after it (a grace month to record late work and allocate once the month is over),
 * never before the period began and never later.
 */
export function withinPeriod (period: string, ts: Stamp): boolean {
  const written = periodOf(ts)
  return written === period || written === nextPeriod(period)
}
