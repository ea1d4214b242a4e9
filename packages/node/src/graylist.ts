import type { BlockList } from './gater.js'

export interface GraylistInit {
  /** the peer's current gossipsub score (not a cached one) */
  score: (peer: string) => number
  /** below this score a peer is graylisted (gossipsub's `graylistThreshold`) */
  threshold: number
  /** how long a graylisted peer is refused, ms */
  backoffMs: number
  blocklist: BlockList
  /** peers connected now */
  connected: () => string[]
  hangUp: (peer: string) => Promise<void>
  onGraylisted: (peer: string, score: number, backoffMs: number) => void
  /** sweep of every connected peer's score, ms (scores also fall by sync penalties and decay) */
  intervalMs?: number
}

/**
 * Gossipsub only ignores a graylisted peer's messages; the peer stays connected and may go on
 * sending. This disconnects it and refuses it (dials both ways) for a back-off period. A check
 * runs right after each rejection and sync penalty, and a sweep covers everything else.
 */
export class Graylist {
  private timer: ReturnType<typeof setInterval> | undefined

  constructor (private readonly init: GraylistInit) {}

  start (): void {
    this.timer = setInterval(() => { for (const peer of this.init.connected()) this.check(peer) }, this.init.intervalMs ?? 1_000)
    this.timer.unref?.()
  }

  stop (): void {
    clearInterval(this.timer)
    this.timer = undefined
  }

  /** Checks one peer soon: gossipsub records a rejection after the validator returns. */
  soon (peer: string): void {
    if (this.timer === undefined) return
    setTimeout(() => { this.check(peer) }, 0).unref?.()
  }

  check (peer: string): void {
    if (this.timer === undefined || this.init.blocklist.has(peer)) return
    const score = this.init.score(peer)
    if (!(score < this.init.threshold)) return
    this.init.blocklist.suspend(peer, this.init.backoffMs)
    this.init.onGraylisted(peer, score, this.init.backoffMs)
    this.init.hangUp(peer).catch(() => {})
  }
}
