import type { Log, VersionVector } from '@mutual/log'
import { SyncPeerMisbehavingError, SyncProtocolError } from '../errors.js'
import { DEFAULT_SYNC_LIMITS, DONE, ENTRIES, FORK, HELLO, type SyncLimits, type SyncMessage } from './messages.js'

export interface SyncSessionInit {
  log: Log
  /** spaces this side holds or wants; a wanted space is announced with an empty vector */
  interests: string[]
  /** whether the remote peer may read a space; sync sends nothing of a space it may not */
  mayRead?: (space: string) => boolean
  limits?: Partial<SyncLimits>
  /** invalid entries tolerated before the session ends as misbehaving */
  maxInvalid?: number
  /** bytes of entries in one batch */
  maxBatchBytes?: number
}

export interface SyncStats {
  sent: number
  received: number
  added: number
  invalid: number
  /** spaces the remote announced that this side also cares about */
  spaces: number
}

/**
 * One side of a sync exchange, without I/O of its own: the plumbing feeds it the remote's
 * messages (`receive`) and writes what it yields (`hello`, then `outgoing`). Both sides send a
 * hello with their version vectors, then each sends what the other lacks — in log order, in
 * bounded batches, fork proofs after — and a DONE. A generator yields one batch at a time, so a
 * slow reader holds back the writer (back-pressure) and memory stays bounded.
 */
export class SyncSession {
  readonly stats: SyncStats = { sent: 0, received: 0, added: 0, invalid: 0, spaces: 0 }
  private helloSent = false
  private helloReceived = false
  private readonly log: Log
  private readonly interests: string[]
  private readonly mayRead: (space: string) => boolean
  private readonly limits: SyncLimits
  private readonly maxInvalid: number
  private readonly maxBatchBytes: number
  private remoteDone = false

  constructor (init: SyncSessionInit) {
    this.log = init.log
    this.interests = [...new Set(init.interests)]
    this.mayRead = init.mayRead ?? (() => true)
    this.limits = { ...DEFAULT_SYNC_LIMITS, ...init.limits }
    this.maxInvalid = init.maxInvalid ?? 16
    this.maxBatchBytes = init.maxBatchBytes ?? 1024 * 1024
  }

  get done (): boolean {
    return this.remoteDone
  }

  hello (): SyncMessage {
    if (this.helloSent) throw new SyncProtocolError('hello already sent')
    this.helloSent = true
    const spaces: Array<[string, VersionVector]> = this.interests
      .slice(0, this.limits.maxSpaces)
      .map((space) => [space, this.log.vector(space)])
    return { v: 1, t: HELLO, spaces }
  }

  /** What the remote lacks of the spaces it named, batch by batch, ending with DONE. */
  async * outgoing (remote: Extract<SyncMessage, { t: typeof HELLO }>): AsyncGenerator<SyncMessage> {
    const held = new Set(this.log.spaces())
    for (const [space, vector] of remote.spaces) {
      if (!held.has(space) || !this.mayRead(space)) continue
      const { ranges, forks } = await this.log.missing(space, vector)
      let batch: Uint8Array[] = []
      let bytes = 0
      for (const range of ranges) {
        for await (const entry of this.log.range(space, range.author, range.from, range.to)) {
          if (batch.length >= this.limits.maxBatchEntries || bytes + entry.byteLength > this.maxBatchBytes) {
            this.stats.sent += batch.length
            yield { v: 1, t: ENTRIES, entries: batch }
            batch = []
            bytes = 0
          }
          batch.push(entry)
          bytes += entry.byteLength
        }
      }
      if (batch.length > 0) {
        this.stats.sent += batch.length
        yield { v: 1, t: ENTRIES, entries: batch }
      }
      for (const fork of forks) yield { v: 1, t: FORK, entries: fork.entries }
    }
    yield { v: 1, t: DONE }
  }

  /**
   * Takes one message from the remote. A HELLO returns the remote's hello for `outgoing`;
   * entries are ingested (invalid ones counted, and too many end the session).
   */
  async receive (message: SyncMessage): Promise<Extract<SyncMessage, { t: typeof HELLO }> | undefined> {
    if (this.remoteDone) throw new SyncProtocolError('message after DONE')
    switch (message.t) {
      case HELLO: {
        if (this.helloReceived) throw new SyncProtocolError('second hello')
        this.helloReceived = true
        const ours = new Set(this.interests)
        this.stats.spaces = message.spaces.filter(([space]) => ours.has(space)).length
        return message
      }
      case ENTRIES:
        this.expectReceiving()
        await this.ingest(message.entries)
        await this.log.flush()
        return undefined
      case FORK:
        this.expectReceiving()
        try {
          await this.log.ingestFork(message.entries)
        } catch (err) {
          this.invalid(err as Error)
        }
        return undefined
      case DONE:
        this.expectReceiving()
        this.remoteDone = true
        return undefined
    }
  }

  /** A batch at once: the log checks its signatures on every core (`Log.ingestMany`). */
  private async ingest (batch: Uint8Array[]): Promise<void> {
    const results = await this.log.ingestMany(batch, { durable: false })
    for (const result of results) {
      this.stats.received++
      if (result.status === 'rejected') this.invalid(result.reason as Error)
      else if (result.value.status === 'added' || result.value.status === 'fork') this.stats.added++
    }
  }

  private invalid (err: Error): void {
    if ((err as { transient?: boolean }).transient === true || err.name === 'FrozenLogError') return
    if (++this.stats.invalid > this.maxInvalid) {
      throw new SyncPeerMisbehavingError(`peer sent more than ${this.maxInvalid} invalid entries (last: ${err.name}: ${err.message})`)
    }
  }

  private expectReceiving (): void {
    if (!this.helloReceived) throw new SyncProtocolError('entries before hello')
  }
}
