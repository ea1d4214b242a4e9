import { events, type StreamEvent } from '@mutual/client'
import type { QueryClient } from '@tanstack/react-query'
import { useSyncExternalStore } from 'react'
import { api, isLoggedOut } from './api.js'

/** What the header shows: the stream is open, or broken and being retried. */
export type Connection = 'connecting' | 'open' | 'retrying' | 'logged-out'

type Listener = (event: StreamEvent) => void

let state: Connection = 'connecting'
const stateListeners = new Set<() => void>()
const listeners = new Set<Listener>()

function setState (next: Connection): void {
  if (next === state) return
  state = next
  for (const l of stateListeners) l()
}

export function useConnection (): Connection {
  return useSyncExternalStore((l) => { stateListeners.add(l); return () => { stateListeners.delete(l) } }, () => state)
}

/** Listens to every event of the stream while mounted; returns the unsubscribe. */
export function onEvent (listener: Listener): () => void {
  listeners.add(listener)
  return () => { listeners.delete(listener) }
}

/** Which cached answers an event makes stale. */
function staleKeys (event: StreamEvent): string[][] {
  const data = (event.data ?? {}) as { board?: string, space?: string }
  switch (event.type) {
    case 'board':
    case 'claims':
      return data.board === undefined ? [['boards']] : [['board', data.board], ['task', data.board], ['boards'], ['mine']]
    case 'entry':
      // A profile may be among them: names too.
      return [['space'], ['org'], ['market'], ['ledger'], ['spaces'], ['names']]
    case 'inbox.item':
      return [['inbox']]
    case 'peer:connect':
    case 'peer:disconnect':
    case 'sync':
      return [['peers'], ['network'], ['spaces']]
    default:
      return []
  }
}

/**
 * Follows the daemon's event stream for the page's life: resumes with Last-Event-ID after a
 * break (the client does), refreshes what an event makes stale, and refreshes everything after
 * a reconnection, since events may have been dropped from the daemon's buffer meanwhile.
 */
export function followEvents (queries: QueryClient, signal: AbortSignal): void {
  let pending = new Set<string>()
  let timer: ReturnType<typeof setTimeout> | undefined
  const flush = (): void => {
    timer = undefined
    const keys = [...pending]
    pending = new Set()
    for (const key of keys) void queries.invalidateQueries({ queryKey: JSON.parse(key) as string[] })
  }
  const run = async (): Promise<void> => {
    let wasBroken = false
    try {
      for await (const event of events(api(), {
        signal,
        retryMs: 1000,
        onState: (s) => {
          if (s === 'open') {
            if (wasBroken) void queries.invalidateQueries()
            wasBroken = false
            setState('open')
          } else {
            wasBroken = true
            setState('retrying')
          }
        }
      })) {
        for (const l of listeners) l(event)
        for (const key of staleKeys(event)) pending.add(JSON.stringify(key))
        // Bursts of events (a peer syncing hundreds of entries) refresh once.
        timer ??= setTimeout(flush, 80)
      }
    } catch (err) {
      if (isLoggedOut(err)) setState('logged-out')
      else throw err
    }
  }
  run().catch((err: unknown) => {
    if (!signal.aborted) console.error('event stream ended', err)
  })
}
