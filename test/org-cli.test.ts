import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildOnce, cleanup, eventually, ok, mutual, mutualJson, startDaemon, tempHome, type DaemonProcess } from './cli/helpers.js'

/**
 * Organizations, federation and the market end to end: two real `mutual daemon` processes on
 * loopback, driven only through the CLI.
 */

let a: DaemonProcess
let b: DaemonProcess
beforeAll(async () => {
  buildOnce()
  ;[a, b] = await Promise.all([startDaemon(tempHome()), startDaemon(tempHome())])
}, 120_000)
afterAll(async () => {
  try {
    for (const d of [a, b]) if (d !== undefined) expect(await d.stop()).toBe(0)
  } finally {
    cleanup()
  }
})

const json = async <T = any>(d: DaemonProcess, args: string[]): Promise<T> => await mutualJson<T>([...args, '--home', d.home])

describe('organizations through the CLI', () => {
  it('two orgs federate, a member is granted, a policy enacted, and the market decides with a reason', async () => {
    await ok(b, ['connect', a.ready.addresses[0]])
    const orgA = await ok(a, ['org', 'create', 'Acme'])
    const orgB = await ok(b, ['org', 'create', 'Beta'])
    await ok(a, ['space', 'join', orgB])
    await ok(b, ['space', 'join', orgA])

    const fed = await ok(a, ['federation', 'create', 'Acme+Beta', orgA, orgB])
    await ok(a, ['federation', 'accept', fed, orgA])
    await ok(b, ['space', 'join', fed])
    await eventually(async () => (await mutual(['federation', 'show', fed, '--json', '--home', b.home])).code === 0 &&
      (await json(b, ['federation', 'show', fed])).accepted.includes(orgA), 20_000, 'A\'s acceptance at B')
    await ok(b, ['federation', 'accept', fed, orgB])
    await eventually(async () => (await json(a, ['federation', 'show', fed])).inForce === true, 20_000, 'the federation in force at A')

    await ok(a, ['org', 'grant', orgA, b.ready.id, '--role', 'member', '--role', 'reviewer'])
    const members = await json<{ members: Array<{ id: string, roles: string[] }> }>(a, ['org', 'members', orgA])
    expect(members.members).toEqual([expect.objectContaining({ id: a.ready.id, roles: ['admin'] }), expect.objectContaining({ id: b.ready.id, roles: ['member', 'reviewer'] })])
    expect(await ok(a, ['org', 'show', orgA])).toContain(b.ready.id)

    const proposal = await ok(a, ['org', 'policy', 'propose', orgA, '{"effort":6000,"quality":4000}'])
    expect(await ok(a, ['org', 'policy', 'approve', orgA, proposal])).toContain('enacted')
    expect((await json(a, ['org', 'show', orgA])).policies).toEqual([expect.objectContaining({ version: 1, policy: { effort: 6000, quality: 4000 } })])

    // Refused by the daemon: exit 4 with a named problem; malformed arguments: exit 2.
    const refused = await mutual(['org', 'grant', orgA, a.ready.id, '--role', 'member', '--json', '--home', b.home])
    expect(refused.code).toBe(4)
    expect(refused.stderr + refused.stdout).toContain('NotAdminError')
    expect((await mutual(['org', 'show', 'not-an-id', '--home', a.home])).code).toBe(2)

    const board = await ok(a, ['org', 'space', 'Shared work', '--federation', fed, '--role', 'member', '--private'])
    expect((await json(a, ['board', 'list'])).boards.map((x: { board: string }) => x.board)).toContain(board)
    const noGrant = await mutual(['org', 'space', 'Nothing granted', '--home', a.home])
    expect(noGrant.code).toBe(2)

    const market = await ok(a, ['market', 'create', 'Acme market'])
    await ok(b, ['space', 'join', market])
    const announcement = await ok(a, ['market', 'announce', market, 'Translate the handbook', '--skill', 'translation', '--estimate', '5'])
    await eventually(async () => (await mutual(['market', 'list', market, '--json', '--home', b.home])).code === 0 &&
      (await json(b, ['market', 'list', market])).announcements.length === 1, 20_000, 'the announcement at B')
    const application = await ok(b, ['market', 'apply', market, announcement, '--note', 'native speaker'])
    await eventually(async () => (await json(a, ['market', 'list', market])).announcements[0].applications.length === 1, 20_000, 'the application at A')
    await ok(a, ['market', 'accept', market, application, '--reason', 'fits the skills'])
    await eventually(async () => (await json(b, ['market', 'list', market])).announcements[0].applications[0].status === 'accepted', 20_000, 'the decision at B')
    const seen = (await json(b, ['market', 'list', market])).announcements[0].applications[0]
    expect(seen.decisions).toEqual([expect.objectContaining({ kind: 'accept', reason: 'fits the skills', author: a.ready.id })])
    expect((await json(b, ['market', 'list'])).markets.map((m: { market: string }) => m.market)).toContain(market)
  }, 150_000)
})
