import { mkdtemp, rm } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { startDaemon, type Daemon, type DaemonInit } from '@mutual/daemon'
export { eventually, never } from '../../../test/support/poll.js'

export interface TestDaemon extends Daemon {
  /** stops the daemon and removes its home */
  dispose (): Promise<void>
}

export async function tempHome (): Promise<string> {
  return await mkdtemp(join(tmpdir(), 'mutual-daemon-'))
}

/** A daemon on 127.0.0.1 with a temporary home, no mDNS, no DHT and no background sync. */
export async function startTestDaemon (init: DaemonInit = {}): Promise<TestDaemon> {
  const home = init.home ?? await tempHome()
  const daemon = await startDaemon({
    home,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    mdns: false,
    dht: false,
    syncIntervalMs: 0,
    exemptLoopback: true,
    logger: pino({ level: process.env.MUTUAL_TEST_LOG ?? 'silent' }),
    ...init
  })
  return {
    ...daemon,
    dispose: async () => {
      await daemon.stop()
      await rm(home, { recursive: true, force: true })
    }
  }
}

/** fetch against the daemon's API with its token. */
export async function api (daemon: Daemon, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  if (!headers.has('authorization')) headers.set('authorization', `Bearer ${daemon.token}`)
  if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json')
  return await fetch(daemon.url + path, { ...init, headers })
}

export async function apiJson<T = any> (daemon: Daemon, path: string, init: RequestInit = {}): Promise<{ status: number, type: string | null, body: T }> {
  const res = await api(daemon, path, init)
  return { status: res.status, type: res.headers.get('content-type'), body: await res.json() as T }
}

/** A request through node:http, which, unlike fetch, lets a test set its own Host header. */
export async function rawRequest (url: string, options: { method?: string, headers?: Record<string, string>, body?: string } = {}): Promise<{ status: number, headers: Record<string, unknown>, body: string }> {
  return await new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { body += chunk })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body }) })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}


export interface SseEvent {
  id?: string
  event?: string
  data?: string
}

/** An open event stream read event by event; `close()` ends it. */
export interface SseReader {
  readonly status: number
  /** the next event (comments and retry lines skipped) */
  next (timeoutMs?: number): Promise<SseEvent>
  close (): Promise<void>
}

export async function openEvents (daemon: Daemon, lastEventId?: number): Promise<SseReader> {
  const controller = new AbortController()
  const headers: Record<string, string> = { authorization: `Bearer ${daemon.token}` }
  if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId)
  const res = await fetch(`${daemon.url}/api/v1/events`, { headers, signal: controller.signal })
  if (res.body === null) throw new Error('no body')
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  const events: SseEvent[] = []
  // A read outlives a timed-out wait, so the chunk it brings is not lost.
  let pending: ReturnType<typeof reader.read> | undefined
  const parse = (): void => {
    let end: number
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const event: SseEvent = {}
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':')
        if (colon <= 0) continue
        const field = line.slice(0, colon)
        const value = line.slice(colon + 1).replace(/^ /, '')
        if (field === 'id' || field === 'event' || field === 'data') event[field] = value
      }
      if (event.event !== undefined) events.push(event)
    }
  }
  return {
    status: res.status,
    async next (timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      while (events.length === 0) {
        const remaining = deadline - Date.now()
        if (remaining <= 0) throw new Error('timed out waiting for an event')
        let timer: NodeJS.Timeout | undefined
        const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => { resolve('timeout') }, remaining) })
        pending ??= reader.read()
        const read = await Promise.race([pending, timeout])
        clearTimeout(timer)
        if (read === 'timeout') continue
        pending = undefined
        if (read.done) throw new Error('the event stream ended')
        buffer += read.value
        parse()
      }
      return events.shift() as SseEvent
    },
    async close () {
      controller.abort()
      try {
        await reader.cancel()
      } catch (err) {
        if ((err as Error).name !== 'AbortError') throw err
      }
      await pending?.then(() => {}, () => {})
    }
  }
}
