import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type SseReader, type TestDaemon, api, apiJson, eventually, openEvents, startTestDaemon } from './helpers.js'

describe('event stream', () => {
  let daemon: TestDaemon
  let space: string
  const readers: SseReader[] = []

  beforeAll(async () => {
    daemon = await startTestDaemon({ eventKeepAliveMs: 50 })
    space = (await apiJson(daemon, '/api/v1/spaces', { method: 'POST', body: JSON.stringify({ name: 'events' }) })).body.space
  })

  afterAll(async () => {
    for (const r of readers) await r.close()
    await daemon?.dispose()
  })

  const append = async (text: string): Promise<any> =>
    (await apiJson(daemon, `/api/v1/spaces/${space}/entries`, { method: 'POST', body: JSON.stringify({ type: 'space/note', body: { text } }) })).body

  it('delivers an appended entry as an `entry` event', async () => {
    const events = await openEvents(daemon)
    readers.push(events)
    expect(events.status).toBe(200)
    const entry = await append('one')
    const event = await events.next()
    expect(event.event).toBe('entry')
    expect(Number(event.id)).toBeGreaterThan(0)
    expect(JSON.parse(event.data ?? '')).toEqual({ space, id: entry.id, author: daemon.identity.id, seq: entry.seq, type: 'space/note' })
  })

  it('replays only the events after Last-Event-ID on reconnect', async () => {
    const first = await openEvents(daemon)
    readers.push(first)
    await append('two')
    const seen = await first.next()
    await first.close()
    const missed = [await append('three'), await append('four')]

    const again = await openEvents(daemon, Number(seen.id))
    readers.push(again)
    const replayed = [await again.next(), await again.next()]
    expect(replayed.map((e) => JSON.parse(e.data ?? '').id)).toEqual(missed.map((e) => e.id))
    expect(replayed.map((e) => Number(e.id))).toEqual([Number(seen.id) + 1, Number(seen.id) + 2])
    // then live events follow on the same stream
    const live = await append('five')
    expect(JSON.parse((await again.next()).data ?? '').id).toBe(live.id)
  })

  it('forgets a client that went away', async () => {
    const gone = await openEvents(daemon)
    const clients = async (): Promise<number> => Number(/^mutual_sse_clients (\d+)$/m.exec(await (await api(daemon, '/metrics')).text())?.[1])
    const before = await clients()
    await gone.close()
    await eventually(async () => await clients() === before - 1, 5000, 'the stream to be dropped')
  })

  it('replays nothing without Last-Event-ID', async () => {
    const fresh = await openEvents(daemon)
    readers.push(fresh)
    const live = await append('six')
    expect(JSON.parse((await fresh.next()).data ?? '').id).toBe(live.id)
  })
})
