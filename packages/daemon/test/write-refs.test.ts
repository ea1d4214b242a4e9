import { describe, expect, it } from 'vitest'
import { RecordRegistry, baseRecordTypes, generateIdentity, type SignedEntry } from '@mutual/protocol'
import { Log, memoryStore } from '@mutual/log'
import { boardAuthorizer, boardRecordTypes, boardUpdateRule } from '@mutual/board'
import { OrgRegistry, createGrantedSpace, createOrg, grantRefs, issueCredential, orgAuthorizers, orgPackageRecordTypes } from '@mutual/org'
import { createBoards } from '@mutual/daemon'
import { BoardService } from '../src/services/boards.js'

async function daemonLog (): Promise<{ log: Log, orgs: OrgRegistry }> {
  const holder: { orgs?: OrgRegistry } = {}
  const log = new Log({
    store: memoryStore(),
    registry: new RecordRegistry([...baseRecordTypes(), ...boardRecordTypes(), ...orgPackageRecordTypes()]),
    authorizers: [...orgAuthorizers({ orgs: () => holder.orgs as OrgRegistry, fallback: boardAuthorizer() }), boardUpdateRule()]
  })
  const orgs = holder.orgs = new OrgRegistry(log)
  await log.start()
  await orgs.start()
  return { log, orgs }
}

/** A granted member's board write names the refs of its grant, computed once per write. */
describe('refs of a write to a granted board', () => {
  it('are computed once per write and named by the entry', async () => {
    const [admin, member] = await Promise.all([generateIdentity(), generateIdentity()])
    const a = await daemonLog()
    const b = await daemonLog()
    const org = (await createOrg(a.log, admin, 'Acme')).space
    await issueCredential(a.log, admin, org, { member: member.id, roles: ['member'], kind: 'person' })
    const board = (await createGrantedSpace(a.log, admin, { kind: 'board', name: 'tasks', policy: { grants: [{ org, roles: ['member'] }], read: 'public' } })).space
    for (const space of [org, board]) for await (const e of a.log.spaceEntries(space)) await b.log.ingest((e as SignedEntry).bytes)
    await b.orgs.settled()

    let computed = 0
    const replicas = createBoards({
      log: b.log,
      identity: member,
      granted: (space) => b.orgs.policy(space) !== undefined,
      grantRefs: async (...args) => {
        computed++
        return await grantRefs(...args)
      }
    })
    await replicas.start()
    const service = new BoardService({ log: b.log, node: undefined as never, identity: member, replicas, orgs: b.orgs, spaceKeys: undefined as never })

    const task = await service.addTask(board, { title: 'Fix the roof' })
    expect(computed).toBe(1)
    await service.moveTask(board, task.id, { status: 'doing' })
    expect(computed).toBe(2)

    const expected = (await grantRefs(b.log, board, member.id)).map(String)
    const mine: SignedEntry[] = []
    for await (const e of b.log.entries(board, member.id, 1, 10)) mine.push(e)
    expect(mine).toHaveLength(2)
    for (const e of mine) expect((e.entry.refs ?? []).map(String)).toEqual(expected)

    await replicas.stop()
    await Promise.all([a.orgs.stop(), b.orgs.stop()])
    await Promise.all([a.log.stop(), b.log.stop()])
  })
})
