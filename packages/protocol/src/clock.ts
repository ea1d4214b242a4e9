/**
 * Hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014). A stamp is
 * `[wall, logical]`: wall milliseconds, and a counter that orders events within one
 * millisecond or while the wall clock lags a stamp already seen. Stamps compare lexicographically.
 */
export type Stamp = readonly [wall: number, logical: number]

export interface HybridClockInit {
  /** the wall clock, injectable for tests; defaults to `Date.now` */
  now?: () => number
}

export function compareStamps (a: Stamp, b: Stamp): number {
  return a[0] !== b[0] ? a[0] - b[0] : a[1] - b[1]
}

export function isStamp (value: unknown): value is Stamp {
  return Array.isArray(value) && value.length === 2 &&
    Number.isSafeInteger(value[0]) && value[0] >= 0 &&
    Number.isSafeInteger(value[1]) && value[1] >= 0 && value[1] < 2 ** 32
}

export class HybridClock {
  private last: Stamp = [0, 0]
  private readonly wall: () => number

  constructor (init: HybridClockInit = {}) {
    this.wall = init.now ?? Date.now
  }

  /** A new stamp for a local event, above every stamp this clock issued or observed. */
  tick (): Stamp {
    const wall = this.wall()
    this.last = wall > this.last[0] ? [wall, 0] : [this.last[0], this.last[1] + 1]
    return this.last
  }

  /** Moves the clock past a stamp received from elsewhere, so later local stamps order after it. */
  observe (stamp: Stamp): void {
    if (compareStamps(stamp, this.last) > 0) this.last = stamp
  }

  /** The last stamp issued or observed. */
  peek (): Stamp {
    return this.last
  }
}
