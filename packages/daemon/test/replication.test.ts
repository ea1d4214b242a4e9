import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type SseEvent, type SseReader, type TestDaemon, apiJson, eventually, openEvents, startTestDaemon } from './helpers.js'

describe('two daemons', () => {
  let a: TestDaemon
  let b: TestDaemon
  let events: SseReader

  beforeAll(async () => {
    a = await startTestDaemon()
    b = await startTestDaemon()
    events = await openEvents(b)
  })

  afterAll(async () => {
    await events?.close()
    await b?.dispose()
    await a?.dispose()
  })

  async function nextOf (type: string): Promise<SseEvent> {
    for (;;) {
      const event = await events.next()
      if (event.event === type) return event
    }
  }

  it('connect through the API, join a space and replicate its entries', async () => {
    const space = (await apiJson(a, '/api/v1/spaces', { method: 'POST', body: JSON.stringify({ name: 'shared', open: true }) })).body.space
    const note = (await apiJson(a, `/api/v1/spaces/${space}/entries`, { method: 'POST', body: JSON.stringify({ type: 'space/note', body: { text: 'from a' } }) })).body

    expect((await apiJson(b, `/api/v1/spaces/${space}/join`, { method: 'POST' })).status).toBe(202)
    const connected = await apiJson(b, '/api/v1/peers', { method: 'POST', body: JSON.stringify({ address: a.node.addresses()[0] }) })
    expect(connected).toMatchObject({ status: 200, body: { id: a.identity.id } })
    expect(JSON.parse((await nextOf('peer:connect')).data ?? '')).toEqual({ peer: a.identity.id })

    await eventually(async () => (await apiJson(b, `/api/v1/spaces/${space}/vector`)).status === 200 &&
      (await apiJson(b, `/api/v1/spaces/${space}/vector`)).body.vector[a.identity.id]?.seq === 2, 10_000, 'replication to b')
    const sync = JSON.parse((await nextOf('sync')).data ?? '')
    expect(sync).toMatchObject({ peer: a.identity.id })
    for (const field of ['sent', 'received', 'added']) expect(typeof sync[field]).toBe('number')
    const entries = (await apiJson(b, `/api/v1/spaces/${space}/entries`)).body.entries
    expect(entries.map((e: any) => e.id)).toEqual([space, note.id])

    const peers = (await apiJson(b, '/api/v1/peers')).body.peers
    expect(peers.map((p: any) => p.id)).toEqual([a.identity.id])
    const status = (await apiJson(b, '/api/v1/status')).body
    expect(status.peers).toBe(1)

    // b writes into the open space; a receives it live
    const reply = (await apiJson(b, `/api/v1/spaces/${space}/entries`, { method: 'POST', body: JSON.stringify({ type: 'space/note', body: { text: 'from b' } }) })).body
    await eventually(async () => (await apiJson(a, `/api/v1/spaces/${space}/vector`)).body.vector[b.identity.id]?.head === reply.id, 10_000, 'gossip to a')
  })
})
