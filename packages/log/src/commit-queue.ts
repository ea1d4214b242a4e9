import { emptyBatch, type EntryStore, type StoreBatch } from './store.js'

/**
 * Group commit: writes queued while a batch is being made durable go together into the next
 * batch, so many appends share one fsync. Each caller's promise resolves once its own write is
 * durable; a failed batch rejects every caller in it.
 */
export class CommitQueue {
  private next: StoreBatch = emptyBatch()
  private waiters: Array<{ resolve: () => void, reject: (err: Error) => void }> = []
  private inFlight: Promise<void> | undefined

  constructor (private readonly store: EntryStore, private readonly onFlushed: (batch: StoreBatch) => void) {}

  /** Adds writes to the next batch; resolves once they are durable. */
  enqueue (part: Partial<StoreBatch>): Promise<void> {
    const next = this.next
    if (part.entries !== undefined) next.entries.push(...part.entries)
    if (part.heads !== undefined) next.heads.push(...part.heads)
    if (part.forks !== undefined) next.forks.push(...part.forks)
    if (part.meta !== undefined) next.meta.push(...part.meta)
    const { promise, resolve, reject } = Promise.withResolvers<void>()
    this.waiters.push({ resolve, reject })
    this.inFlight ??= this.drain()
    return promise
  }

  /** Resolves once everything queued so far is durable. */
  async flush (): Promise<void> {
    await this.inFlight
  }

  private async drain (): Promise<void> {
    // Let the current turn of the event loop add more writes to this batch.
    await Promise.resolve()
    while (this.waiters.length > 0) {
      const batch = this.next
      const waiters = this.waiters
      this.next = emptyBatch()
      this.waiters = []
      try {
        await this.store.commit(batch)
        this.onFlushed(batch)
        for (const w of waiters) w.resolve()
      } catch (err) {
        this.onFlushed(batch)
        for (const w of waiters) w.reject(err as Error)
      }
    }
    this.inFlight = undefined
  }
}
