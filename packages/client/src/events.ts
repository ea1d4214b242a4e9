import { createParser } from 'eventsource-parser'
import type { Client } from './client.js'
import { ApiError } from './errors.js'
import { problemOf } from './client.js'

/** One event of the daemon's stream: its id (for resuming), its type, and its JSON data. */
export interface StreamEvent {
  id: string | undefined
  type: string
  data: unknown
}

export interface EventStreamOptions {
  /** resume after this event id (sent as `Last-Event-ID`) */
  lastEventId?: string
  signal?: AbortSignal
  /** told when the stream is open, and when it broke (before the next try) */
  onState?: (state: 'open' | 'retrying', error?: Error) => void
  /** wait before reconnecting, ms (default 1,000) */
  retryMs?: number
}

/**
 * The daemon's Server-Sent Events as an async iterable that reconnects by itself, resuming with
 * `Last-Event-ID` so no buffered event is missed or repeated. It ends when `signal` aborts; a
 * refusal by the daemon (a 4xx, say a lost session) ends it with that ApiError.
 */
export async function * events (client: Client, options: EventStreamOptions = {}): AsyncGenerator<StreamEvent> {
  let last = options.lastEventId
  const { signal } = options
  const aborted = (): boolean => signal?.aborted === true
  while (!aborted()) {
    const queue: StreamEvent[] = []
    let failure: Error | undefined
    try {
      const response = await client.fetch('/api/v1/events', {
        headers: { accept: 'text/event-stream', ...(last === undefined ? {} : { 'last-event-id': last }) },
        signal
      })
      if (!response.ok) {
        const error = new ApiError(await problemOf(response))
        if (response.status < 500) throw error
        failure = error
      } else if (response.body !== null) {
        options.onState?.('open')
        const parser = createParser({
          onEvent (message) {
            let data: unknown = message.data
            try {
              data = JSON.parse(message.data)
            } catch {
              // not JSON: the text as it came
            }
            queue.push({ id: message.id, type: message.event ?? 'message', data })
          }
        })
        const decoder = new TextDecoder()
        const reader = response.body.getReader()
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          parser.feed(decoder.decode(value, { stream: true }))
          while (queue.length > 0) {
            const event = queue.shift() as StreamEvent
            if (event.id !== undefined) last = event.id
            yield event
          }
        }
      }
    } catch (err) {
      if (aborted()) return
      if (err instanceof ApiError && err.status < 500) throw err
      failure = err as Error
    }
    if (aborted()) return
    options.onState?.('retrying', failure)
    await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 1000))
  }
}
