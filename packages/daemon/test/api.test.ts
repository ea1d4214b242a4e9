import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cidOf, encode, generateIdentity } from '@mutual/protocol'
import { type TestDaemon, api, apiJson, startTestDaemon } from './helpers.js'

const PROBLEM = 'application/problem+json'
/** a space id no daemon holds */
const UNKNOWN = cidOf(encode({ nothing: 'here' })).toString()

describe('HTTP API', () => {
  let daemon: TestDaemon
  let space: string

  beforeAll(async () => {
    daemon = await startTestDaemon()
  })

  afterAll(async () => {
    await daemon?.dispose()
  })

  it('reports status and id', async () => {
    const { status, body } = await apiJson(daemon, '/api/v1/status')
    expect(status).toBe(200)
    expect(body).toMatchObject({ id: daemon.identity.id, peers: 0, spaces: 0, home: daemon.home, api: daemon.url, mdns: false })
    expect(body.addresses.length).toBeGreaterThan(0)
    expect(body.addresses.every((a: string) => a.startsWith('/ip4/127.0.0.1/tcp/') && a.endsWith(`/p2p/${daemon.identity.id}`))).toBe(true)
    expect(typeof body.version).toBe('string')
    expect(body.uptimeMs).toBeGreaterThanOrEqual(0)
    const id = await apiJson(daemon, '/api/v1/id')
    expect(id.body).toEqual({ id: daemon.identity.id, addresses: body.addresses })
  })

  it('creates a space, appends and reads entries', async () => {
    const created = await apiJson(daemon, '/api/v1/spaces', { method: 'POST', body: JSON.stringify({ name: 'notes' }) })
    expect(created.status).toBe(201)
    space = created.body.space
    expect(created.body.genesis).toMatchObject({ id: space, space, author: daemon.identity.id, seq: 1, prev: null, type: 'space/genesis' })
    expect(created.body.genesis.body).toMatchObject({ kind: 'raw', name: 'notes', policy: { write: 'listed', writers: [] }, encrypted: false })
    expect(typeof created.body.genesis.body.nonce).toBe('string') // bytes as base64
    expect(daemon.node.joined()).toContain(space)

    const appended = await apiJson(daemon, `/api/v1/spaces/${space}/entries`, { method: 'POST', body: JSON.stringify({ type: 'space/note', body: { text: 'hello' } }) })
    expect(appended.status).toBe(201)
    expect(appended.body).toMatchObject({ space, author: daemon.identity.id, seq: 2, prev: space, type: 'space/note', body: { text: 'hello' } })
    expect(appended.body.ts).toHaveLength(2)

    const list = await apiJson(daemon, '/api/v1/spaces')
    expect(list.body.spaces).toEqual([{ space, name: 'notes', kind: 'raw', owner: daemon.identity.id, authors: 1, entries: 2 }])

    const entries = await apiJson(daemon, `/api/v1/spaces/${space}/entries`)
    expect(entries.body.entries.map((e: any) => e.seq)).toEqual([1, 2])
    const later = await apiJson(daemon, `/api/v1/spaces/${space}/entries?author=${daemon.identity.id}&from=2&limit=5`)
    expect(later.body.entries.map((e: any) => e.id)).toEqual([appended.body.id])
    const blank = await apiJson(daemon, `/api/v1/spaces/${space}/entries?author=&from=&limit=`)
    expect(blank.body.entries).toHaveLength(2)
    const limited = await apiJson(daemon, `/api/v1/spaces/${space}/entries?limit=1`)
    expect(limited.body.entries).toHaveLength(1)

    const vector = await apiJson(daemon, `/api/v1/spaces/${space}/vector`)
    expect(vector.body).toEqual({ space, vector: { [daemon.identity.id]: { seq: 2, head: appended.body.id } } })
  })

  it('answers a body that fails its type schema with BodySchemaError 400', async () => {
    const res = await api(daemon, `/api/v1/spaces/${space}/entries`, { method: 'POST', body: JSON.stringify({ type: 'space/note', body: { text: 42 } }) })
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe(PROBLEM)
    expect(await res.json()).toMatchObject({ status: 400, name: 'BodySchemaError', type: 'https://mutual.dev/problems/body-schema-error', title: 'Body schema error' })
  })

  it('answers an unknown type with UnknownTypeError 400', async () => {
    const res = await apiJson(daemon, `/api/v1/spaces/${space}/entries`, { method: 'POST', body: JSON.stringify({ type: 'no/such', body: {} }) })
    expect(res.status).toBe(400)
    expect(res.body.name).toBe('UnknownTypeError')
  })

  it('answers malformed requests with InvalidRequestError 400', async () => {
    const notJson = await apiJson(daemon, '/api/v1/spaces', { method: 'POST', body: '{"name": ' })
    expect(notJson.status).toBe(400)
    expect(notJson.body.name).toBe('InvalidRequestError')
    const missing = await apiJson(daemon, '/api/v1/spaces', { method: 'POST', body: JSON.stringify({}) })
    expect(missing.status).toBe(400)
    expect(missing.body).toMatchObject({ name: 'InvalidRequestError', type: 'https://mutual.dev/problems/invalid-request-error' })
    expect(missing.body.detail).toContain('name')
    const badLimit = await apiJson(daemon, `/api/v1/spaces/${space}/entries?limit=5000`)
    expect(badLimit.status).toBe(400)
    const genesis = await apiJson(daemon, `/api/v1/spaces/${space}/entries`, { method: 'POST', body: JSON.stringify({ type: 'space/genesis', body: {} }) })
    expect(genesis.status).toBe(400)
    const badWriter = await apiJson(daemon, '/api/v1/spaces', { method: 'POST', body: JSON.stringify({ name: 'x', writers: ['nobody'] }) })
    expect(badWriter.status).toBe(400)
    expect(badWriter.body.name).toBe('BodySchemaError')
  })

  it('answers an unknown space with UnknownSpaceError 404', async () => {
    const unknown = UNKNOWN
    for (const path of [`/api/v1/spaces/${unknown}/entries`, `/api/v1/spaces/${unknown}/vector`]) {
      const res = await api(daemon, path)
      expect(res.status, path).toBe(404)
      expect(res.headers.get('content-type')).toBe(PROBLEM)
      expect(await res.json()).toMatchObject({ status: 404, name: 'UnknownSpaceError' })
    }
    const append = await apiJson(daemon, `/api/v1/spaces/${unknown}/entries`, { method: 'POST', body: JSON.stringify({ type: 'space/note', body: { text: 'x' } }) })
    expect(append.status).toBe(404)
    expect(append.body.name).toBe('UnknownSpaceError')
  })

  it('answers an unknown route with NotFoundError 404', async () => {
    const res = await apiJson(daemon, '/api/v1/nothing')
    expect(res.status).toBe(404)
    expect(res.type).toBe(PROBLEM)
    expect(res.body.name).toBe('NotFoundError')
  })

  it('joins a space it does not hold yet', async () => {
    const other = UNKNOWN
    const res = await apiJson(daemon, `/api/v1/spaces/${other}/join`, { method: 'POST' })
    expect(res.status).toBe(202)
    expect(res.body).toEqual({ space: other })
    expect(daemon.node.joined()).toContain(other)
    const bad = await apiJson(daemon, '/api/v1/spaces/not-a-cid/join', { method: 'POST' })
    expect(bad.status).toBe(400)
  })

  it('refuses a bad multiaddr with InvalidAddressError 400 and an unreachable peer with DialError 502', async () => {
    const bad = await apiJson(daemon, '/api/v1/peers', { method: 'POST', body: JSON.stringify({ address: 'not a multiaddr' }) })
    expect(bad.status).toBe(400)
    expect(bad.body.name).toBe('InvalidAddressError')
    const nobody = (await generateIdentity()).id
    const unreachable = await apiJson(daemon, '/api/v1/peers', { method: 'POST', body: JSON.stringify({ address: `/ip4/127.0.0.1/tcp/1/p2p/${nobody}` }) })
    expect(unreachable.status).toBe(502)
    expect(unreachable.body.name).toBe('DialError')
  })

  it('lists no peers and explains why in doctor', async () => {
    const peers = await apiJson(daemon, '/api/v1/peers')
    expect(peers.body).toEqual({ peers: [] })
    const doctor = await apiJson(daemon, '/api/v1/doctor')
    expect(doctor.status).toBe(200)
    const byName = new Map(doctor.body.checks.map((c: any) => [c.name, c]))
    expect(byName.get('listen')).toMatchObject({ ok: false }) // loopback only
    expect(byName.get('mdns')).toMatchObject({ ok: true })
    expect(byName.get('peers')).toMatchObject({ ok: false })
    expect((byName.get('peers') as any).detail).toContain('no way to find any')
    for (const check of doctor.body.checks) expect(typeof check.detail).toBe('string')
  })

  it('publishes an OpenAPI 3.1 document listing the routes', async () => {
    const { status, body } = await apiJson(daemon, '/api/v1/openapi.json')
    expect(status).toBe(200)
    expect(body.openapi).toBe('3.1.0')
    const paths = Object.keys(body.paths)
    for (const path of [
      '/api/v1/status', '/api/v1/id', '/api/v1/peers', '/api/v1/doctor', '/api/v1/spaces', '/api/v1/spaces/{space}/join',
      '/api/v1/spaces/{space}/entries', '/api/v1/spaces/{space}/vector', '/api/v1/events', '/healthz', '/readyz', '/metrics'
    ]) expect(paths, path).toContain(path)
    expect(Object.keys(body.paths['/api/v1/spaces/{space}/entries'])).toEqual(expect.arrayContaining(['get', 'post']))
    expect(body.components.schemas.Problem).toBeDefined()
    expect(body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' })
  })
})
