import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildOnce, cleanup, eventually, ok, mutual, mutualJson, startDaemon, tempHome, type DaemonProcess } from './cli/helpers.js'

/**
 * Task boards end to end: two real `mutual daemon` processes on loopback, driven only through
 * the CLI. Alice creates a board and invites Bob with a ticket; both edit and claim; both show
 * the same board.
 */

let alice: DaemonProcess
let bob: DaemonProcess
beforeAll(async () => {
  buildOnce()
  ;[alice, bob] = await Promise.all([startDaemon(tempHome()), startDaemon(tempHome())])
}, 120_000)
afterAll(async () => {
  try {
    for (const d of [alice, bob]) if (d !== undefined) expect(await d.stop()).toBe(0)
  } finally {
    cleanup()
  }
})

interface TaskRow { id: string, title: string, status: string, holder: string | null, contested: boolean, estimate: number, dependencies: string[] }
const tasksOf = async (d: DaemonProcess, board: string): Promise<TaskRow[]> =>
  (await mutualJson<{ tasks: TaskRow[] }>(['task', 'list', board, '--home', d.home])).tasks
const view = (tasks: TaskRow[]): string => JSON.stringify(tasks.map(({ id, title, status, holder, contested, estimate, dependencies }) => ({ id, title, status, holder, contested, estimate, dependencies })))

describe('a board shared by two daemons', () => {
  let board: string

  it('is joined with a ticket, edited and claimed from both, and converges', async () => {
    board = await ok(alice, ['board', 'create', 'Launch'])
    const spec = await ok(alice, ['task', 'add', board, 'Write the spec', '--estimate', '3', '--label', 'docs'])
    const review = await ok(alice, ['task', 'add', board, 'Review the spec', '--estimate', '1'])
    await ok(alice, ['task', 'depend', board, review, spec])

    const ticket = await ok(alice, ['board', 'invite', board, '--expires', '2h'])
    expect(ticket).toMatch(/^mutual1:[A-Za-z0-9_-]+$/)
    const joined = await mutual(['join', ticket, '--home', bob.home])
    expect(joined.code, joined.stderr).toBe(0)
    expect(joined.stdout.trim()).toBe(board)
    expect(joined.stderr).toContain('joined board "Launch"')

    // Both write: Bob adds and moves, Alice moves, both claim the spec (Alice first: she holds it).
    const ship = await ok(bob, ['task', 'add', board, 'Ship it', '--estimate', '2'])
    await ok(bob, ['task', 'move', board, spec, 'doing'])
    await ok(bob, ['task', 'edit', board, spec, '--title', 'Write the spec (v2)'])
    await eventually(async () => (await tasksOf(alice, board)).some((t) => t.id === spec && t.status === 'doing'), 15_000, "bob's move to reach alice")
    await ok(alice, ['task', 'claim', board, spec])
    await ok(alice, ['task', 'move', board, ship, 'doing'])
    await eventually(async () => (await tasksOf(bob, board)).some((t) => t.id === spec && t.holder === alice.ready.id), 15_000, "alice's claim to reach bob")
    // Bob's claim is recorded behind Alice's: it exits 4 and says who holds the task.
    const behind = await mutual(['task', 'claim', board, spec, '--home', bob.home])
    expect(behind.code).toBe(4)
    expect(behind.stderr).toContain('ClaimHeldError')
    await ok(bob, ['task', 'claim', board, ship])

    await eventually(async () => view(await tasksOf(alice, board)) === view(await tasksOf(bob, board)), 20_000, 'both boards to agree')
    const tasks = await tasksOf(alice, board)
    expect(tasks.map((t) => [t.title, t.status])).toEqual([
      ['Review the spec', 'todo'], ['Write the spec (v2)', 'doing'], ['Ship it', 'doing']
    ])
    expect(tasks.find((t) => t.id === spec)).toMatchObject({ holder: alice.ready.id, contested: true })
    expect(tasks.find((t) => t.id === ship)).toMatchObject({ holder: bob.ready.id, contested: false })

    const shown = await Promise.all([alice, bob].map(async (d) => await mutualJson(['board', 'show', board, '--home', d.home])))
    for (const s of shown) {
      expect(s.writers).toEqual([bob.ready.id])
      expect(s.workload).toEqual([{ person: alice.ready.id, estimate: 3 }, { person: bob.ready.id, estimate: 2 }].sort((a, b) => a.person < b.person ? -1 : 1))
    }
    expect(shown[1].sync.peers).toEqual([alice.ready.id])

    // History names both authors: Alice created the spec, Bob moved and renamed it, both claimed it.
    const history = (await mutualJson(['task', 'show', board, spec, '--home', bob.home])).history as Array<{ author: string, changes: string[] }>
    expect(new Set(history.map((h) => h.author))).toEqual(new Set([alice.ready.id, bob.ready.id]))
    expect(history.find((h) => h.changes.includes('created'))?.author).toBe(alice.ready.id)
    expect(history.find((h) => h.changes.includes('title'))?.author).toBe(bob.ready.id)
    const human = await ok(alice, ['task', 'show', board, spec])
    expect(human).toContain(alice.ready.id)
    expect(human).toContain(bob.ready.id)

    // The ticket was for one use.
    const again = await mutual(['join', ticket, '--home', bob.home])
    expect(again.code).toBe(4)
    expect(again.stdout).toBe('')
    expect(again.stderr).toMatch(/has been used \(1 of 1 uses\).*InviteUsedError/)
  }, 60_000)

  it('refuses a revoked ticket, and lets only the creator invite', async () => {
    const ticket = await ok(alice, ['board', 'invite', board, '--uses', '3'])
    const invites = await mutualJson<{ invites: Array<{ id: string, status: string }> }>(['board', 'invites', board, '--home', alice.home])
    const active = invites.invites.filter((i) => i.status === 'active')
    expect(active).toHaveLength(1)
    await ok(alice, ['board', 'revoke-invite', board, active[0].id])
    const refused = await mutual(['join', ticket, '--home', bob.home, '--json'])
    expect(refused.code).toBe(4)
    expect(JSON.parse(refused.stderr.trim().split('\n').at(-1)!)).toMatchObject({ error: { name: 'InviteRevokedError', status: 410, exitCode: 4 } })

    const notCreator = await mutual(['board', 'invite', board, '--home', bob.home])
    expect(notCreator.code).toBe(4)
    expect(notCreator.stderr).toMatch(/only the board's creator.*UnauthorizedError/)
  }, 30_000)
})
