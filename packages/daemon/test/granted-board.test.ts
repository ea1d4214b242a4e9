import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestDaemon, apiJson, eventually, startTestDaemon } from './helpers.js'

/** A board granted to an organization: a credentialed member edits it through its own daemon; a non-member is refused. */
describe('a board granted to an org, edited from another daemon', () => {
  let a: TestDaemon
  let b: TestDaemon
  let c: TestDaemon
  beforeAll(async () => {
    [a, b, c] = await Promise.all([startTestDaemon(), startTestDaemon(), startTestDaemon()])
  })
  afterAll(async () => {
    await Promise.allSettled([c?.dispose(), b?.dispose()])
    await a?.dispose()
  })

  const post = async (d: TestDaemon, path: string, body: unknown = {}): Promise<{ status: number, body: any }> =>
    await apiJson(d, path, { method: 'POST', body: JSON.stringify(body) })

  it('lets a credentialed member add and move a task that the admin sees; refuses a non-member', async () => {
    const org = (await post(a, '/api/v1/orgs', { name: 'Acme' })).body.org as string
    expect((await post(a, `/api/v1/orgs/${org}/credentials`, { member: b.identity.id, roles: ['member'] })).status).toBe(201)
    const granted = await post(a, '/api/v1/spaces/granted', { name: 'tasks', grants: [{ org, roles: ['member'] }] })
    expect(granted.status).toBe(201)
    const board = granted.body.space as string

    for (const d of [b, c]) {
      await d.node.connect(a.node.addresses()[0])
      for (const space of [org, board]) await post(d, `/api/v1/spaces/${space}/join`)
    }
    await eventually(async () => {
      await b.node.syncWith(a.identity.id)
      await c.node.syncWith(a.identity.id)
      return [b, c].every((d) => d.log.genesis(board) !== undefined && d.log.genesis(org) !== undefined &&
        (d.log.vector(board)[a.identity.id]?.seq ?? 0) >= 2 && d.log.vector(org)[a.identity.id]?.seq === a.log.vector(org)[a.identity.id]?.seq)
    }, 10_000, 'the org and the board at b and c')

    const added = await post(b, `/api/v1/boards/${board}/tasks`, { title: 'Fix the roof', estimate: 2 })
    expect(added.status).toBe(201)
    const task = added.body.id as string
    const moved = await post(b, `/api/v1/boards/${board}/tasks/${task}/move`, { status: 'doing' })
    expect(moved.status).toBe(200)
    expect((await post(b, `/api/v1/boards/${board}/tasks/${task}/claim`)).status).toBe(200)

    await eventually(async () => {
      await a.node.syncWith(b.identity.id)
      const seen = await apiJson(a, `/api/v1/boards/${board}/tasks/${task}`)
      return seen.status === 200 && seen.body.task.status === 'doing' && seen.body.claimants.some((cl: any) => cl.author === b.identity.id)
    }, 10_000, 'b\'s task, moved and claimed, at a')
    const view = (await apiJson(a, `/api/v1/boards/${board}/tasks/${task}`)).body
    expect(view.task).toMatchObject({ title: 'Fix the roof', status: 'doing' })

    const refused = await post(c, `/api/v1/boards/${board}/tasks`, { title: 'Not mine to add' })
    expect(refused.status).toBe(403)
    expect(refused.body.name).toBe('ReadOnlyBoardError')
    expect(c.log.head(board, c.identity.id)).toBeUndefined()
  })
})
