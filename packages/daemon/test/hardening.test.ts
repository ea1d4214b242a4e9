import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Log, memoryStore } from '@mutual/log'
import { createMutualNode, topicOf, type MutualNode } from '@mutual/node'
import { generateIdentity, signEntry, type Identity } from '@mutual/protocol'
import { INVITE_PROTOCOL } from '@mutual/daemon'
import { oversizeFrame } from '../../../scripts/chaos/faults.ts'
import { type SseEvent, type TestDaemon, api, apiJson, eventually, openEvents, rawRequest, startTestDaemon } from './helpers.js'

let daemon: TestDaemon
beforeAll(async () => { daemon = await startTestDaemon() })
afterAll(async () => { await daemon?.dispose() })

describe('refusals before any route', () => {
  it('answers a 20 KB request path with 431 problem+json', async () => {
    const res = await rawRequest(`${daemon.url}/api/v1/${'x'.repeat(20_000)}`, { headers: { authorization: `Bearer ${daemon.token}` } })
    expect(res.status).toBe(431)
    expect(res.headers['content-type']).toBe('application/problem+json')
    expect(JSON.parse(res.body)).toMatchObject({
      status: 431, name: 'HeaderTooLargeError', title: 'Header too large error', type: 'https://mutual.dev/problems/header-too-large-error'
    })
    // The daemon goes on serving.
    expect((await api(daemon, '/api/v1/status')).status).toBe(200)
  })
})

describe('request bodies', () => {
  /** A body sent in chunks, with no Content-Length (Transfer-Encoding: chunked). */
  const chunked = (text: string, chunk = 64 * 1024): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: new ReadableStream({
      start (controller) {
        for (let i = 0; i < text.length; i += chunk) controller.enqueue(new TextEncoder().encode(text.slice(i, i + chunk)))
        controller.close()
      }
    }),
    duplex: 'half'
  } as RequestInit)
  const spaces = async (): Promise<number> => (await apiJson(daemon, '/api/v1/spaces')).body.spaces.length

  it('reads a chunked body, and refuses one past 2 MiB, declared or counted, with PayloadTooLargeError 413, creating nothing', async () => {
    const small = await apiJson(daemon, '/api/v1/spaces', chunked(JSON.stringify({ name: 'chunked' }), 4))
    expect(small.status).toBe(201)
    const before = await spaces()
    const huge = JSON.stringify({ name: 'huge', pad: 'x'.repeat(3 * 1024 * 1024) })
    const counted = await apiJson(daemon, '/api/v1/spaces', chunked(huge))
    expect(counted.status).toBe(413)
    expect(counted.body).toMatchObject({ status: 413, name: 'PayloadTooLargeError' })
    const declared = await apiJson(daemon, '/api/v1/spaces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: huge })
    expect(declared.status).toBe(413)
    expect(declared.body).toMatchObject({ status: 413, name: 'PayloadTooLargeError' })
    expect(await spaces()).toBe(before)
    expect((await api(daemon, '/api/v1/status')).status).toBe(200)
  })
})

describe('problem names', () => {
  it('types the not-a-board problem not-a-board-error', async () => {
    const space = (await apiJson(daemon, '/api/v1/spaces', { method: 'POST', body: JSON.stringify({ name: 'raw' }) })).body.space
    const res = await apiJson(daemon, `/api/v1/boards/${space}`)
    expect(res.status).toBe(404)
    expect(res.body).toMatchObject({ name: 'NotABoardError', title: 'Not a board error', type: 'https://mutual.dev/problems/not-a-board-error' })
  })
})

describe('a peer sending invalid gossip', () => {
  let liar: { identity: Identity, log: Log, node: MutualNode }
  afterAll(async () => {
    await liar?.node.stop()
    await liar?.log.stop()
  })

  it('shows as gossip.rejected and peer.graylisted events and in /metrics', async () => {
    const events = await openEvents(daemon)
    const space = (await apiJson(daemon, '/api/v1/spaces', { method: 'POST', body: JSON.stringify({ name: 'gossip', open: true }) })).body.space
    const identity = await generateIdentity()
    const log = new Log({ store: memoryStore() })
    await log.start()
    const node = createMutualNode({ identity, log, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, dht: false, syncIntervalMs: 0 })
    await node.start()
    liar = { identity, log, node }
    await node.join(space)
    await node.connect(daemon.node.addresses()[0])
    await eventually(() => log.genesis(space) !== undefined, 10_000, 'the genesis')
    const pubsub = node.libp2p.services.pubsub as any
    await eventually(() => pubsub.getSubscribers(topicOf(space)).length > 0, 10_000, 'the mesh')
    const genesis = log.genesis(space)!
    for (let i = 0; i < 2; i++) {
      const forged = signEntry(identity, {
        v: 1, space: genesis.id, author: identity.id, seq: 1, prev: null, ts: [Date.now(), i], type: 'space/note', body: { text: `forged ${i}` }
      })
      const bad = Uint8Array.from(forged.bytes)
      bad[bad.length - 1] ^= 0xff
      await pubsub.publish(topicOf(space), bad)
    }

    const seen: SseEvent[] = []
    await eventually(async () => {
      seen.push(await events.next(10_000))
      return seen.some((e) => e.event === 'peer.graylisted')
    }, 15_000, 'a peer.graylisted event')
    await events.close()
    const rejected = seen.filter((e) => e.event === 'gossip.rejected').map((e) => JSON.parse(e.data ?? ''))
    expect(rejected).toHaveLength(2)
    for (const r of rejected) expect(r).toMatchObject({ peer: identity.id, error: expect.stringMatching(/^[A-Za-z]+Error: /) })
    const reason = (rejected[0].error as string).split(':')[0]
    expect(JSON.parse(seen.find((e) => e.event === 'peer.graylisted')!.data ?? '')).toMatchObject({ peer: identity.id, backoffMs: 60_000 })

    const metrics = await (await api(daemon, '/metrics')).text()
    expect(metrics).toMatch(/^mutual_peers_graylisted_total 1$/m)
    expect(metrics).toContain(`mutual_entries_rejected_total{reason="${reason}"} 2\n`)
    // Nothing of the liar's was stored.
    expect((await apiJson(daemon, `/api/v1/spaces/${space}/vector`)).body.vector[identity.id]).toBeUndefined()
  })
})

describe('frames over the invite protocol bound', () => {
  it('resets an invite stream from the length prefix of a 64 MiB frame, without answering it', async () => {
    const identity = await generateIdentity()
    const log = new Log({ store: memoryStore() })
    await log.start()
    const node = createMutualNode({ identity, log, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, dht: false, syncIntervalMs: 0 })
    await node.start()
    try {
      await node.connect(daemon.node.addresses()[0])
      const stream = await node.libp2p.dialProtocol(daemon.node.libp2p.peerId, INVITE_PROTOCOL)
      const { pushed, reset } = await oversizeFrame(stream)
      expect(reset).toBe(true)
      expect(pushed).toBeLessThan(4 * 1024 * 1024)
    } finally {
      await node.stop()
      await log.stop()
    }
  })
})
