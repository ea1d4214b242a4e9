import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestDaemon, apiJson, eventually, startTestDaemon } from './helpers.js'

/** Read authorization in sync: a space whose policy reads 'grants' reaches only credential holders. */
describe('read access between two daemons', () => {
  let a: TestDaemon
  let b: TestDaemon
  beforeAll(async () => {
    a = await startTestDaemon()
    b = await startTestDaemon()
  })
  afterAll(async () => {
    await b?.dispose()
    await a?.dispose()
  })

  const post = async (d: TestDaemon, path: string, body: unknown = {}): Promise<any> =>
    (await apiJson(d, path, { method: 'POST', body: JSON.stringify(body) })).body

  it('sends a private space to a peer only once its identity holds a granted credential', async () => {
    const org = (await post(a, '/api/v1/orgs', { name: 'Acme' })).org as string
    const secret = (await post(a, '/api/v1/spaces/granted', { name: 'private', grants: [{ org, roles: ['member'] }], read: 'grants' })).space as string
    const open = (await post(a, '/api/v1/spaces/granted', { name: 'public', grants: [{ org, roles: ['member'] }], read: 'public' })).space as string

    await b.node.connect(a.node.addresses()[0])
    for (const space of [org, secret, open]) await post(b, `/api/v1/spaces/${space}/join`)
    await eventually(() => b.log.genesis(open) !== undefined && b.log.genesis(org) !== undefined, 10_000, 'the public spaces at b')
    await b.node.syncWith(a.identity.id)
    expect(b.log.genesis(secret)).toBeUndefined()

    await post(a, `/api/v1/orgs/${org}/credentials`, { member: b.identity.id, roles: ['member'] })
    await eventually(async () => {
      await b.node.syncWith(a.identity.id)
      return b.log.genesis(secret) !== undefined
    }, 10_000, 'the private space at b once b holds a credential')
    // genesis, policy, the first key (sealed to b once its credential counted) and the board's first update
    await eventually(async () => {
      await b.node.syncWith(a.identity.id)
      return b.log.vector(secret)[a.identity.id].seq === a.log.vector(secret)[a.identity.id].seq
    }, 10_000, 'all of the private space at b')
    expect(a.log.vector(secret)[a.identity.id].seq).toBeGreaterThanOrEqual(4)
  })
})
