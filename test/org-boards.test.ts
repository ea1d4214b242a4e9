import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CID, signEntry, type Identity } from '@mutual/protocol'
import { readIdentity } from '@mutual/daemon'
import { api, buildOnce, cleanup, eventually, mutual, mutualJson, ok, startDaemon, tempHome, type DaemonProcess } from './cli/helpers.js'

/**
 * Membership that covers every board, over real daemon processes driven through the CLI: an
 * org's admin, two members and a union representative; a board a member makes in the org is
 * followed by every member's node by itself; the admin is a member and revokes the board's
 * creator, whose later writes — through the CLI, and entries signed with their key, stamped before
 * the revocation — are refused on every node while the other member's go on. The same for a writer
 * removed from a personal board.
 */

let admin: DaemonProcess
let creator: DaemonProcess
let worker: DaemonProcess
let rep: DaemonProcess
let all: DaemonProcess[]
beforeAll(async () => {
  buildOnce()
  all = [admin, creator, worker, rep] = await Promise.all([0, 1, 2, 3].map(async () => await startDaemon(tempHome())))
}, 120_000)
afterAll(async () => {
  try {
    for (const d of all ?? []) if (d !== undefined) expect(await d.stop()).toBe(0)
  } finally {
    cleanup()
  }
})

const headOf = async (d: DaemonProcess, space: string, author: string): Promise<{ seq: number, head: string, frozenAt?: number } | undefined> =>
  (await api(d, 'GET', `/spaces/${space}/vector`)).body.vector?.[author]

/** An entry after `author`'s head in `space`, signed with their key and stamped just after that head: before any later verdict. */
async function backdated (d: DaemonProcess, key: Identity, space: string, task: string): Promise<string> {
  const head = await headOf(d, space, key.id)
  if (head === undefined) throw new Error(`no entries of ${key.id} in ${space}`)
  const previous = (await api(d, 'GET', `/spaces/${space}/entries?author=${key.id}&from=${head.seq}&limit=1`)).body.entries[0]
  const entry = signEntry(key, {
    v: 1, space: CID.parse(space), author: key.id, seq: head.seq + 1, prev: CID.parse(head.head), ts: [previous.ts[0], previous.ts[1] + 1], type: 'task/claim', body: { task }
  })
  return Buffer.from(entry.bytes).toString('base64')
}

describe('boards of an organization', () => {
  let org: string
  let board: string

  it('admins are members; members granted twice show every role; a member\'s org board is followed by every member', async () => {
    org = await ok(admin, ['org', 'create', 'Acme'])
    for (const [d, roles] of [[creator, 'member'], [worker, 'member'], [rep, 'union-rep']] as const) {
      expect(await ok(d, ['join', await ok(admin, ['invite', org, '--roles', roles])])).toBe(org)
    }
    await ok(admin, ['org', 'grant', org, worker.ready.id, '--role', 'reviewer'])
    const members = await mutualJson<{ members: Array<{ id: string, roles: string[] }> }>(['org', 'members', org, '--json', '--home', admin.home])
    expect(Object.fromEntries(members.members.map((m) => [m.id, m.roles]))).toEqual({
      [admin.ready.id]: ['admin'],
      [creator.ready.id]: ['member'],
      [worker.ready.id]: ['member', 'reviewer'],
      [rep.ready.id]: ['union-rep']
    })

    await eventually(async () => (await mutual(['org', 'show', org, '--home', creator.home])).code === 0, 15_000, 'the org at its creator-to-be')
    const made = await mutual(['board', 'create', 'Week 12', '--org', org, '--home', creator.home])
    expect(made.code, made.stderr).toBe(0)
    expect(made.stderr).toContain('in organization "Acme"')
    board = made.stdout.trim()
    // No `space join`: every member's node follows the board announced in the org.
    for (const d of [admin, worker, rep]) {
      await eventually(async () => (await mutual(['board', 'show', board, '--home', d.home])).code === 0, 20_000, `the board at ${d.home}`)
    }
    const spaces = await mutualJson<{ spaces: Array<{ space: string, kind: string, held: boolean }> }>(['org', 'spaces', org, '--json', '--home', worker.home])
    expect(spaces.spaces).toEqual([expect.objectContaining({ space: board, kind: 'board', held: true })])
  }, 120_000)

  it('the admin edits the org board with no grant of their own, and revoking its creator cuts them off on every node', async () => {
    const mine = await ok(creator, ['task', 'add', board, 'Paint the hall'])
    await ok(worker, ['task', 'add', board, 'Order bricks'])
    expect((await mutual(['task', 'add', board, 'Check the budget', '--home', admin.home])).code).toBe(0)
    for (const d of all) {
      await eventually(async () => (await mutualJson<{ tasks: unknown[] }>(['task', 'list', board, '--json', '--home', d.home])).tasks.length === 3, 20_000, `three tasks at ${d.home}`)
    }

    const revoked = await mutual(['org', 'revoke', org, creator.ready.id, '--reason', 'left the team', '--home', admin.home])
    expect(revoked.code, revoked.stderr).toBe(0)
    expect(revoked.stderr).toMatch(/cut off in .*board "Week 12" after seq \d+/)
    const cut = (await headOf(admin, board, creator.ready.id))?.frozenAt as number
    expect(cut).toBeGreaterThanOrEqual(3)

    // Through the CLI, once the revocation reaches the creator's node.
    await eventually(async () => {
      const r = await mutual(['task', 'add', board, 'One more', '--home', creator.home])
      return r.code === 4 && /FrozenLogError|RevokedError/.test(r.stderr)
    }, 20_000, "the creator's node refusing their writes")
    // Signed with the revoked key by a script, stamped before the revocation: refused everywhere.
    const key = await readIdentity(join(creator.home, 'identity.key')) as Identity
    const forged = await backdated(admin, key, board, mine)
    for (const d of [admin, worker, rep]) {
      const taken = await api(d, 'POST', `/orgs/${org}/entries`, { entry: forged })
      expect(taken.status, JSON.stringify(taken.body)).toBe(403)
      expect(['FrozenLogError', 'RevokedError']).toContain(taken.body.name)
    }
    for (const d of all) await eventually(async () => (await headOf(d, board, creator.ready.id))?.frozenAt === cut, 20_000, `the cut at ${d.home}`)
    for (const d of all) expect((await headOf(d, board, creator.ready.id))?.seq).toBeLessThanOrEqual(cut)

    // The other member's writes go on.
    await ok(worker, ['task', 'add', board, 'Fix the roof'])
    await eventually(async () => (await mutualJson<{ tasks: Array<{ title: string }> }>(['task', 'list', board, '--json', '--home', admin.home])).tasks.some((t) => t.title === 'Fix the roof'), 20_000, "the worker's task at the admin")
  }, 120_000)

  it('the admin opens a dispute in the org ledger without a credential of their own', async () => {
    const ledger = await ok(admin, ['org', 'ledger', org])
    await eventually(async () => (await mutual(['contrib', 'list', '--ledger', ledger, '--home', worker.home])).code === 0, 20_000, 'the ledger at the worker')
    const contribution = await ok(worker, ['contrib', 'record', 'Ordered the bricks', '--ledger', ledger, '--kind', 'work', '--effort', '300'])
    await eventually(async () => (await mutual(['contrib', 'show', contribution, '--ledger', ledger, '--home', admin.home])).code === 0, 20_000, 'the contribution at the admin')
    const dispute = await mutual(['dispute', 'open', contribution, '--reason', 'the order was cancelled', '--ledger', ledger, '--home', admin.home])
    expect(dispute.code, dispute.stderr).toBe(0)
  }, 120_000)
})

describe('a node that joins an organization later', () => {
  it("holds the org's space, ledger, market and boards within 5 s of redeeming its ticket, with no space join", async () => {
    const orgs = await mutualJson<{ orgs: Array<{ org: string, name: string }> }>(['org', 'list', '--json', '--home', admin.home])
    const org = orgs.orgs.find((o) => o.name === 'Acme')?.org as string
    const market = await api(admin, 'POST', '/markets', { name: 'Acme jobs', grants: [{ org, roles: ['admin', 'reviewer'] }] })
    expect(market.status).toBe(201)
    const late = await startDaemon(tempHome())
    all.push(late)
    const ticket = await ok(admin, ['invite', org])
    expect(await ok(late, ['join', ticket])).toBe(org)
    const joined = Date.now()
    const announced = (await mutualJson<{ spaces: Array<{ space: string, kind: string }> }>(['org', 'spaces', org, '--json', '--home', admin.home])).spaces
    expect(announced.map((a) => a.kind).sort()).toEqual(['board', 'ledger', 'market'])
    await eventually(async () => {
      const spaces = (await mutualJson<{ spaces: Array<{ space: string, held: boolean }> }>(['org', 'spaces', org, '--json', '--home', late.home])).spaces
      return spaces.length === announced.length && spaces.every((x) => x.held)
    }, 5_000, 'every space of the org at the late joiner')
    expect(Date.now() - joined).toBeLessThan(5_000)
  }, 60_000)

  it('refuses bad input with named errors', async () => {
    const unknown = await mutual(['board', 'create', 'Nowhere', '--org', 'bafyreihyexjcjnuvovxyvczt75sczfixnod422kfdfqhjjxrg5ocmqslp4', '--home', admin.home])
    expect(unknown.code).toBe(4)
    expect(unknown.stderr).toContain('UnknownSpaceError')
    expect((await mutual(['board', 'create', 'Both', '--org', 'bafyreihyexjcjnuvovxyvczt75sczfixnod422kfdfqhjjxrg5ocmqslp4', '--personal', '--home', admin.home])).code).toBe(2)
    const spaces = await mutual(['org', 'spaces', 'bafyreihyexjcjnuvovxyvczt75sczfixnod422kfdfqhjjxrg5ocmqslp4', '--home', admin.home])
    expect(spaces.code).toBe(4)
    expect(spaces.stderr).toContain('mutual join')
  })
})

describe('a personal board', () => {
  it("its creator removes a writer, whose later writes are refused on every node", async () => {
    const made = await mutual(['board', 'create', 'Garden', '--home', rep.home])
    expect(made.code, made.stderr).toBe(0)
    expect(made.stderr).toContain('as a personal board')
    const board = made.stdout.trim()
    expect(await ok(worker, ['join', await ok(rep, ['board', 'invite', board])])).toBe(board)
    const task = await ok(worker, ['task', 'add', board, 'Plant the beans'])
    await eventually(async () => (await headOf(rep, board, worker.ready.id))?.seq === (await headOf(worker, board, worker.ready.id))?.seq, 20_000, "the worker's task at the creator")

    const removed = await mutualJson<{ seq: number }>(['board', 'remove-writer', board, worker.ready.id, '--json', '--home', rep.home])
    await eventually(async () => {
      const r = await mutual(['task', 'add', board, 'Water the beans', '--home', worker.home])
      return r.code === 4 && /FrozenLogError|ReadOnlyBoardError/.test(r.stderr)
    }, 20_000, "the worker's node refusing their writes")
    const key = await readIdentity(join(worker.home, 'identity.key')) as Identity
    const taken = await api(rep, 'POST', `/orgs/${(await mutualJson<{ orgs: Array<{ org: string }> }>(['org', 'list', '--json', '--home', rep.home])).orgs[0].org}/entries`, { entry: await backdated(rep, key, board, task) })
    expect(taken.status).toBe(403)
    expect(taken.body.name).toBe('FrozenLogError')
    for (const d of [rep, worker]) await eventually(async () => (await headOf(d, board, worker.ready.id))?.frozenAt === removed.seq, 20_000, `the cut at ${d.home}`)
    const show = await mutualJson<{ writers: string[] }>(['board', 'show', board, '--json', '--home', rep.home])
    expect(show.writers).not.toContain(worker.ready.id)
  }, 120_000)
})
