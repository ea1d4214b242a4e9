import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CID, PROFILE_TYPE, cidOf, decode, encode, generateIdentity, signEntry, type Identity, type SignedEntry } from '@mutual/protocol'
import { NamesView } from '../src/services/names-view.js'
import { pick } from '../src/services/resolve.js'
import { apiJson, eventually, startTestDaemon, type TestDaemon } from './helpers.js'

/** A seeded generator (mulberry32), so a failing order can be replayed. */
function random (seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function profileEntry (who: Identity, space: CID, seq: number, ts: [number, number], name: string, identity = who.id): SignedEntry {
  return signEntry(who, { v: 1, space, author: who.id, seq, prev: null, ts, type: PROFILE_TYPE, body: { v: 1, identity, name, description: '', kind: 'person' } })
}

describe('the names view', () => {
  it('gives the same names whatever order the profiles arrive in: latest stamp, then entry id', async () => {
    const people = await Promise.all([0, 1, 2, 3].map(async () => await generateIdentity()))
    const spaces = [0, 1, 2].map((i) => cidOf(encode({ space: i })))
    const next = random(10)
    const entries: SignedEntry[] = []
    for (const [p, who] of people.entries()) {
      for (let i = 0; i < 6; i++) {
        // Few distinct stamps, so some profiles tie on the stamp and the entry id decides.
        entries.push(profileEntry(who, spaces[i % 3], i + 1, [1_000 + Math.floor(next() * 3), 0], `name ${p}.${i}`))
      }
    }
    const namesAfter = (order: SignedEntry[]): Array<string | undefined> => {
      const view = new NamesView()
      for (const e of order) view.add(e)
      return people.map((p) => view.profile(p.id)?.body.name)
    }
    const expected = namesAfter(entries)
    expect(expected.every((n) => n !== undefined)).toBe(true)
    for (let run = 0; run < 50; run++) {
      const shuffled = [...entries].sort(() => next() - 0.5)
      expect(namesAfter(shuffled)).toEqual(expected)
    }
  })

  it('tells whether a space holds the latest profile of an author', async () => {
    const who = await generateIdentity()
    const [a, b] = [cidOf(encode({ s: 'a' })), cidOf(encode({ s: 'b' }))]
    const view = new NamesView()
    view.add(profileEntry(who, a, 1, [1, 0], 'First'))
    view.add(profileEntry(who, b, 1, [2, 0], 'Second'))
    const second = { identity: who.id, name: 'Second', description: '', kind: 'person' as const }
    expect(view.holds(b.toString(), who.id, second)).toBe(true)
    expect(view.holds(a.toString(), who.id, second)).toBe(false)
  })
})

describe('resolving a name or a prefix', () => {
  const things = [
    { id: 'bafyaaaa1111', name: 'Launch' },
    { id: 'bafyaaab2222', name: 'Twin' },
    { id: 'bafyzzzz3333', name: 'twin', aliases: ['t'] }
  ]

  it('takes an id, an alias, a name (any case) or a prefix, in that order', () => {
    expect(pick('board', 'bafyaaaa1111', things)).toBe('bafyaaaa1111')
    expect(pick('board', 't', things)).toBe('bafyzzzz3333')
    expect(pick('board', 'LAUNCH', things)).toBe('bafyaaaa1111')
    expect(pick('board', 'bafyz', things)).toBe('bafyzzzz3333')
  })

  it('refuses an ambiguous one with the candidates, and an unknown or too short one by name', () => {
    expect(() => pick('board', 'twin', things)).toThrow(expect.objectContaining({ name: 'AmbiguousNameError', candidates: [things[1], { id: things[2].id, name: 'twin' }] }))
    expect(() => pick('board', 'bafyaaa', things)).toThrow(expect.objectContaining({ name: 'AmbiguousNameError' }))
    expect(() => pick('board', 'Nothing', things)).toThrow(expect.objectContaining({ name: 'UnknownNameError' }))
    expect(() => pick('board', 'baf', things)).toThrow(expect.objectContaining({ name: 'UnknownNameError' }))
  })
})

describe('bad profiles', () => {
  let daemon: TestDaemon
  let space: CID
  let forger: Identity
  let victim: Identity
  beforeAll(async () => {
    daemon = await startTestDaemon()
    const created = await apiJson<{ space: string }>(daemon, '/api/v1/spaces', { method: 'POST', body: JSON.stringify({ name: 'open', open: true }) })
    space = CID.parse(created.body.space)
    ;[forger, victim] = await Promise.all([generateIdentity(), generateIdentity()])
  })
  afterAll(async () => { await daemon?.dispose() })

  const namesOf = async (...ids: string[]): Promise<Record<string, unknown>> => (await apiJson(daemon, `/api/v1/names?ids=${ids.join(',')}`)).body.names

  it('refuses a forged profile, a profile for another identity and an oversized name, and changes nothing', async () => {
    const genuine = profileEntry(forger, space, 1, [Date.now(), 0], 'Forger')
    const forged = decode(genuine.bytes) as { body: { name: string } }
    forged.body.name = 'The admin'
    await expect(daemon.log.ingest(encode(forged))).rejects.toMatchObject({ name: 'BadSignatureError' })

    const forAnother = profileEntry(forger, space, 1, [Date.now(), 0], 'The admin', victim.id)
    await expect(daemon.log.ingest(forAnother.bytes)).rejects.toMatchObject({ name: 'ProfileIdentityError' })
    await expect(daemon.log.append(daemon.identity, space.toString(), PROFILE_TYPE, { identity: victim.id, name: 'x', description: '', kind: 'person' }))
      .rejects.toMatchObject({ name: 'ProfileIdentityError' })

    const oversized = profileEntry(forger, space, 1, [Date.now(), 0], 'x'.repeat(65))
    await expect(daemon.log.ingest(oversized.bytes)).rejects.toMatchObject({ name: 'BodySchemaError' })
    const refused = await apiJson(daemon, '/api/v1/profile', { method: 'PUT', body: JSON.stringify({ name: 'x'.repeat(65) }) })
    expect(refused.status).toBe(400)

    expect(await namesOf(forger.id, victim.id, daemon.identity.id)).toEqual({})
    expect(daemon.log.vector(space.toString())[forger.id]).toBeUndefined()
    expect((await apiJson(daemon, `/api/v1/profiles/${victim.id}`)).body).toMatchObject({ status: 404, name: 'UnknownProfileError' })

    // The genuine profile, which the same checks admit, names its author.
    expect((await daemon.log.ingest(genuine.bytes)).status).toBe('added')
    expect(await namesOf(forger.id)).toEqual({ [forger.id]: { name: 'Forger', source: 'profile' } })
  })
})

describe('publishing the profile in spaces created here', () => {
  let daemon: TestDaemon
  beforeAll(async () => { daemon = await startTestDaemon() })
  afterAll(async () => { await daemon?.dispose() })

  it('leaves a new granted space\'s policy its creator\'s first entry, then publishes the profile there', async () => {
    expect((await apiJson(daemon, '/api/v1/profile', { method: 'PUT', body: JSON.stringify({ name: 'Site lead' }) })).status).toBe(200)
    const org = (await apiJson<{ org: string }>(daemon, '/api/v1/orgs', { method: 'POST', body: JSON.stringify({ name: 'Acme' }) })).body.org
    const ledger = await apiJson<{ ledger: string }>(daemon, `/api/v1/orgs/${org}/ledger`, { method: 'POST', body: JSON.stringify({}) })
    expect(ledger.status, JSON.stringify(ledger.body)).toBe(201)
    const board = await apiJson<{ board: string }>(daemon, '/api/v1/boards', { method: 'POST', body: JSON.stringify({ name: 'Launch', org }) })
    expect(board.status, JSON.stringify(board.body)).toBe(201)
    for (const space of [ledger.body.ledger, board.body.board]) {
      await eventually(async () => {
        for await (const e of daemon.log.spaceEntries(space)) if (e.entry.type === PROFILE_TYPE && e.entry.author === daemon.identity.id) return true
        return false
      }, 10_000, `the profile in ${space}`)
      expect((await daemon.log.get(space, daemon.identity.id, 2))?.entry.type).toBe('space/policy')
    }
  })
})
