/** An event as the API publishes it. */
export interface DaemonEvent {
  id: number
  type: string
  data: unknown
}

export interface EventHubInit {
  /** events kept for replay with Last-Event-ID (default 1000) */
  bufferSize?: number
  /** interval of keep-alive comments, ms (default 15,000) */
  keepAliveMs?: number
  /** events queued for one slow client before it is dropped; it can reconnect and replay (default 1000) */
  maxQueued?: number
}

const encoder = new TextEncoder()
const KEEP_ALIVE = encoder.encode(': keep-alive\n\n')

/** One event in the SSE wire format (WHATWG HTML, "Server-sent events"). */
export function formatEvent (event: DaemonEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`
}

interface Client {
  controller: ReadableStreamDefaultController<Uint8Array>
  timer: NodeJS.Timeout
}

/**
 * Fans daemon events out to Server-Sent Event streams. Ids increase by one per event; the last
 * `bufferSize` events are kept so a client reconnecting with `Last-Event-ID` gets what it missed.
 */
export class EventHub {
  private readonly buffer: DaemonEvent[] = []
  private readonly clients = new Set<Client>()
  private readonly bufferSize: number
  private readonly keepAliveMs: number
  private readonly maxQueued: number
  private nextId = 1
  private closed = false

  constructor (init: EventHubInit = {}) {
    this.bufferSize = init.bufferSize ?? 1000
    this.keepAliveMs = init.keepAliveMs ?? 15_000
    this.maxQueued = init.maxQueued ?? 1000
  }

  get size (): number {
    return this.clients.size
  }

  /** The id of the newest event, 0 before any. */
  get lastId (): number {
    return this.nextId - 1
  }

  publish (type: string, data: unknown): DaemonEvent {
    const event: DaemonEvent = { id: this.nextId++, type, data }
    this.buffer.push(event)
    if (this.buffer.length > this.bufferSize) this.buffer.shift()
    // Formatted only for someone listening: a catch-up publishes one event per entry.
    if (this.clients.size === 0) return event
    const chunk = encoder.encode(formatEvent(event))
    for (const client of this.clients) this.send(client, chunk)
    return event
  }

  /**
   * Buffered events after `lastEventId`. An id above the newest one was issued by an earlier run
   * of the daemon (ids restart with it), so everything buffered is new to that client.
   */
  since (lastEventId: number | undefined): DaemonEvent[] {
    if (lastEventId === undefined) return []
    if (lastEventId > this.lastId) return [...this.buffer]
    return this.buffer.filter((e) => e.id > lastEventId)
  }

  /** A new event stream, starting with the events missed since `lastEventId`; ended by `signal`. */
  stream (lastEventId: number | undefined, signal?: AbortSignal): ReadableStream<Uint8Array> {
    let client: Client | undefined
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        if (this.closed) {
          controller.close()
          return
        }
        const c: Client = client = { controller, timer: setInterval(() => { this.send(c, KEEP_ALIVE) }, this.keepAliveMs) }
        c.timer.unref()
        this.clients.add(c)
        controller.enqueue(encoder.encode('retry: 2000\n\n'))
        for (const event of this.since(lastEventId)) this.send(c, encoder.encode(formatEvent(event)))
        if (signal?.aborted === true) this.drop(c)
        else signal?.addEventListener('abort', () => { this.drop(c) }, { once: true })
      },
      cancel: () => {
        if (client !== undefined) this.drop(client, false)
      }
    }, { highWaterMark: this.maxQueued + this.bufferSize + 1, size: () => 1 })
  }

  /** Ends every stream and refuses new ones: the HTTP server can then close. */
  close (): void {
    this.closed = true
    for (const client of this.clients) this.drop(client)
  }

  private send (client: Client, chunk: Uint8Array): void {
    // desiredSize counts down as chunks queue unread; a client that stops reading is let go.
    if ((client.controller.desiredSize ?? 0) <= 0) {
      this.drop(client)
      return
    }
    try {
      client.controller.enqueue(chunk)
    } catch (err) {
      // The reader went away between its cancel and our noticing: forget the client.
      if ((err as Error).name !== 'TypeError') throw err
      this.drop(client, false)
    }
  }

  private drop (client: Client, close = true): void {
    if (!this.clients.delete(client)) return
    clearInterval(client.timer)
    if (close) {
      try {
        client.controller.close()
      } catch (err) {
        // Already closed or errored by the reader going away: nothing left to end.
        if ((err as Error).name !== 'TypeError') throw err
      }
    }
  }
}
