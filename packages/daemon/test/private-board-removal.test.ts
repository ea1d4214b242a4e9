import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SPACE_KEY, SpaceKeyring, type EncryptedBody } from '@mutual/org'
import type { SignedEntry } from '@mutual/protocol'
import { type TestDaemon, apiJson, eventually, startTestDaemon } from './helpers.js'

/** A personal private board: an invited writer reads it; once removed, what follows is closed to them. */
describe('a private personal board', () => {
  let alice: TestDaemon
  let bob: TestDaemon
  beforeAll(async () => {
    alice = await startTestDaemon()
    bob = await startTestDaemon()
  })
  afterAll(async () => {
    for (const d of [bob, alice]) await d?.dispose()
  })

  const call = async (d: TestDaemon, method: string, path: string, body?: unknown): Promise<any> => {
    const res = await apiJson(d, path, { method, body: body === undefined ? undefined : JSON.stringify(body) })
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300)
    return res.body
  }
  const entries = async (d: TestDaemon, board: string): Promise<SignedEntry[]> => {
    await d.log.flush()
    const out: SignedEntry[] = []
    for await (const e of d.log.spaceEntries(board)) out.push(e)
    return out
  }

  it('seals its key to an invited writer and rotates it when the writer is removed', async () => {
    const board = (await call(alice, 'POST', '/api/v1/boards', { name: 'Secret', private: true, personal: true })).board as string
    expect(alice.log.genesis(board)?.entry.body).toMatchObject({ encrypted: true, name: 'private' })
    const { ticket } = await call(alice, 'POST', `/api/v1/boards/${board}/invites`, {})
    await call(bob, 'POST', '/api/v1/join', { ticket })
    await call(alice, 'POST', `/api/v1/boards/${board}/tasks`, { title: 'before the removal' })
    await eventually(async () => {
      const res = await apiJson(bob, `/api/v1/boards/${board}/tasks`)
      return res.status === 200 && (res.body.tasks as Array<{ title: string }>).some((t) => t.title === 'before the removal')
    }, 15_000, 'bob to read the first task')

    await call(alice, 'DELETE', `/api/v1/boards/${board}/writers/${bob.identity.id}`)
    const latestWithoutBob = async (): Promise<number | undefined> => {
      const keys = (await entries(alice, board)).filter((e) => e.entry.type === SPACE_KEY).map((e) => e.entry.body as { epoch: number, sealed: Array<{ reader: string }> })
      const latest = Math.max(...keys.map((k) => k.epoch))
      return latest > 0 && !keys.some((k) => k.epoch === latest && k.sealed.some((s) => s.reader === bob.identity.id)) ? latest : undefined
    }
    await eventually(async () => (await latestWithoutBob()) !== undefined, 10_000, 'a new epoch without bob')
    const rotated = (await latestWithoutBob())!
    await call(alice, 'POST', `/api/v1/boards/${board}/tasks`, { title: 'after the removal' })

    const all = await entries(alice, board)
    const bobRing = SpaceKeyring.from(board, bob.identity, all)
    const aliceRing = SpaceKeyring.from(board, alice.identity, all)
    const sealed = all.filter((e) => e.entry.type === 'enc/v1')
    const later = sealed.filter((e) => (e.entry.body as EncryptedBody).epoch >= rotated)
    expect(later.length).toBeGreaterThan(0)
    for (const e of later) expect(() => bobRing.decrypt(e)).toThrow(expect.objectContaining({ name: 'NoSpaceKeyError' }))
    for (const e of sealed) expect(aliceRing.decrypt(e).type).toMatch(/^board\//)
    expect(bobRing.has(0)).toBe(true)
  }, 60_000)
})
