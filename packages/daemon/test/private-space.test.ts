import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TopicValidatorResult, type GossipSub } from '@libp2p/gossipsub'
import { Log, memoryStore } from '@mutual/log'
import { createMutualNode, topicOf, type MutualNode } from '@mutual/node'
import { decode, generateIdentity } from '@mutual/protocol'
import { ENCRYPTED, SPACE_KEY, SpaceKeyring, type EncryptedBody } from '@mutual/org'
import { type TestDaemon, apiJson, eventually, startTestDaemon } from './helpers.js'

/**
 * An encrypted private board through the API (DESIGN.md §4): what an eavesdropper on its topic
 * and a peer without a grant see, what a revoked reader can and cannot open, what a reader reads.
 */
describe('an encrypted private board', () => {
  let admin: TestDaemon
  let reader: TestDaemon
  let revoked: TestDaemon
  let eavesdropper: { log: Log, node: MutualNode, heard: Uint8Array[] }
  beforeAll(async () => {
    admin = await startTestDaemon()
    reader = await startTestDaemon()
    revoked = await startTestDaemon()
  })
  afterAll(async () => {
    await eavesdropper?.node.stop()
    await eavesdropper?.log.stop()
    for (const d of [revoked, reader, admin]) await d?.dispose()
  })

  const post = async (d: TestDaemon, path: string, body: unknown = {}): Promise<any> => {
    const res = await apiJson(d, path, { method: 'POST', body: JSON.stringify(body) })
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300)
    return res.body
  }
  const titles = async (d: TestDaemon, board: string): Promise<string[]> => {
    const res = await apiJson(d, `/api/v1/boards/${board}/tasks`)
    return res.status === 200 ? (res.body.tasks as Array<{ title: string }>).map((t) => t.title).sort() : []
  }

  it('is ciphertext on its topic and to a peer without a grant; a revoked reader cannot open what follows; a reader reads it all', async () => {
    const org = (await post(admin, '/api/v1/orgs', { name: 'Acme' })).org as string
    for (const d of [reader, revoked]) await post(admin, `/api/v1/orgs/${org}/credentials`, { member: d.identity.id, roles: ['member'] })
    const board = (await post(admin, '/api/v1/spaces/granted', { name: 'payroll', grants: [{ org, roles: ['member'] }], read: 'grants' })).space as string
    expect(admin.log.genesis(board)?.entry.body.encrypted).toBe(true)
    // Refused as asked: a grants-only space in clear would travel in clear on its topic.
    const clear = await apiJson(admin, '/api/v1/spaces/granted', { method: 'POST', body: JSON.stringify({ name: 'x', grants: [{ org, roles: ['member'] }], read: 'grants', encrypted: false }) })
    expect(clear.status).toBe(400)
    expect(clear.body.name).toBe('InvalidRequestError')

    // An eavesdropper: no credential, subscribed to the board's topic, recording every frame.
    const identity = await generateIdentity()
    const log = new Log({ store: memoryStore() })
    await log.start()
    const node = createMutualNode({ identity, log, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, dht: false, syncIntervalMs: 0, exemptLoopback: true })
    await node.start()
    eavesdropper = { log, node, heard: [] }
    await node.join(board)
    const validators = (node.libp2p.services.pubsub as GossipSub).topicValidators
    validators.set(topicOf(board), async (_peer, message) => {
      eavesdropper.heard.push(message.data)
      return TopicValidatorResult.Ignore
    })
    for (const d of [reader, revoked]) {
      await d.node.connect(admin.node.addresses()[0])
      await post(d, `/api/v1/spaces/${org}/join`)
      await post(d, `/api/v1/spaces/${board}/join`)
    }
    await node.connect(admin.node.addresses()[0])
    await eventually(() => ((admin.node.libp2p.services.pubsub as GossipSub).getSubscribers(topicOf(board)).length) >= 3, 10_000, 'three subscribers at the admin')

    await post(admin, `/api/v1/boards/${board}/tasks`, { title: 'salary review before the revocation' })
    for (const d of [reader, revoked]) {
      await eventually(async () => (await titles(d, board)).includes('salary review before the revocation'), 15_000, `the first task at ${d.identity.id}`)
    }

    // The admin seals a new epoch to the readers who remain, once the revocation counts.
    const keyEntries = async (): Promise<Array<{ epoch: number, readers: string[] }>> => {
      const out: Array<{ epoch: number, readers: string[] }> = []
      await admin.log.flush()
      for await (const e of admin.log.spaceEntries(board)) {
        if (e.entry.type !== SPACE_KEY) continue
        const body = e.entry.body as { epoch: number, sealed: Array<{ reader: string }> }
        out.push({ epoch: body.epoch, readers: body.sealed.map((x) => x.reader) })
      }
      return out
    }
    const before = Math.max(...(await keyEntries()).map((k) => k.epoch))
    await post(admin, `/api/v1/orgs/${org}/revocations`, { member: revoked.identity.id, reason: 'left' })
    let rotated = -1
    await eventually(async () => {
      const keys = await keyEntries()
      const latest = Math.max(...keys.map((k) => k.epoch))
      if (latest <= before || keys.some((k) => k.epoch === latest && k.readers.includes(revoked.identity.id))) return false
      rotated = latest
      return true
    }, 10_000, 'a new key epoch without the revoked reader')
    await post(admin, `/api/v1/boards/${board}/tasks`, { title: 'salary review after the revocation' })
    await eventually(async () => (await titles(reader, board)).includes('salary review after the revocation'), 15_000, 'the second task at the reader')
    expect(await titles(reader, board)).toEqual(['salary review after the revocation', 'salary review before the revocation'])

    // Every entry of the board, as the admin holds it, opened with each identity's keys.
    await admin.log.flush()
    const entries = []
    for await (const e of admin.log.spaceEntries(board)) entries.push(e)
    const sealed = entries.filter((e) => e.entry.type === ENCRYPTED)
    const after = sealed.filter((e) => (e.entry.body as EncryptedBody).epoch >= rotated)
    expect(after.length).toBeGreaterThan(0)
    const readerRing = SpaceKeyring.from(board, reader.identity, entries)
    for (const e of sealed) expect(readerRing.decrypt(e).type).toMatch(/^board\//)
    const revokedRing = SpaceKeyring.from(board, revoked.identity, entries)
    expect(revokedRing.has(0)).toBe(true)
    expect(revokedRing.has(rotated)).toBe(false)
    for (const e of after) expect(() => revokedRing.decrypt(e)).toThrow(expect.objectContaining({ name: 'NoSpaceKeyError' }))
    expect(await titles(revoked, board)).not.toContain('salary review after the revocation')

    // The eavesdropper heard the board's entries, and none in clear.
    await eventually(() => eavesdropper.heard.length >= sealed.length, 10_000, 'the board\'s frames at the eavesdropper')
    const text = new TextDecoder()
    for (const bytes of eavesdropper.heard) {
      expect(text.decode(bytes)).not.toContain('salary')
      expect([ENCRYPTED, SPACE_KEY]).toContain((decode(bytes) as { type: string }).type)
    }
    // And syncing without a grant brought it nothing.
    await node.syncWith(admin.identity.id)
    expect(log.genesis(board)).toBeUndefined()
  }, 60_000)
})
