import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildOnce, cleanup, cliJson, eventually, mutual, ok, startDaemon, tempHome, type DaemonProcess, type JsonResult } from './cli/helpers.js'

/**
 * A team's week, end to end over five real daemon processes driven through the built CLI only.
 * Alice founds Acme and runs its board and market; Bob is a member and reviewer; Carol a
 * consumer; Dave the auditor who checks the money on his own node; Erin an outside worker in no
 * org. Tasks with estimates and a dependency; the blocked move refused; Alice assigns Bob the
 * first task, he finishes it, and the task waiting on it becomes ready and is announced to the
 * market by itself; Erin finds the market, applies, is accepted, and with no other step edits and
 * moves the task on the board to done; she records its contribution, Bob attests it, Carol rates
 * it; Dave computes the shares with their weights, settles them, and Erin verifies the settlement
 * on her node. Every inbox along the way holds what needs its person, and nothing else.
 */

let alice: DaemonProcess
let bob: DaemonProcess
let carol: DaemonProcess
let dave: DaemonProcess
let erin: DaemonProcess
let all: DaemonProcess[]

interface Item { id: string, kind: string, task?: string, actor: { id: string, name: string }, text: string, read: boolean }

/** `mutual --json …` at `d`. */
const cli = async (d: DaemonProcess, ...args: string[]): Promise<JsonResult> => await cliJson(d.home, args)

async function inbox (d: DaemonProcess): Promise<Item[]> {
  const r = await cli(d, 'inbox')
  expect(r.code, r.stderr).toBe(0)
  return r.out.items
}

/** The kinds in `d`'s inbox about `task` (or about anything, without one), sorted. */
async function kinds (d: DaemonProcess, task?: string): Promise<string[]> {
  return (await inbox(d)).filter((i) => task === undefined || i.task === task).map((i) => i.kind).sort()
}

async function taskAt (d: DaemonProcess, board: string, task: string): Promise<any> {
  const r = await cli(d, 'task', 'show', board, task)
  return r.code === 0 ? r.out.task : undefined
}

beforeAll(async () => {
  buildOnce()
  all = [alice, bob, carol, dave, erin] = await Promise.all([0, 1, 2, 3, 4].map(async () => await startDaemon(tempHome())))
  for (const [d, name] of [[alice, 'Alice'], [bob, 'Bob'], [carol, 'Carol'], [dave, 'Dave'], [erin, 'Erin']] as const) {
    await ok(d, ['profile', 'set', '--name', name])
    if (d !== alice) await ok(d, ['connect', alice.ready.addresses[0]])
  }
}, 120_000)

afterAll(async () => {
  try {
    for (const d of all ?? []) if (d !== undefined) expect(await d.stop()).toBe(0)
  } finally {
    cleanup()
  }
})

describe("a team's week", () => {
  let org: string
  let ledger: string
  let board: string
  let market: string
  let schema: string
  let importer: string
  let contribution: string

  it('sets up: an org with its members, ledger, board, market; tasks with estimates and a dependency; the blocked move refused', async () => {
    org = await ok(alice, ['org', 'create', 'Acme'])
    for (const [d, roles] of [[bob, 'member,reviewer'], [carol, 'consumer'], [dave, 'auditor']] as const) {
      expect(await ok(d, ['join', await ok(alice, ['invite', org, '--roles', roles])])).toBe(org)
    }
    ledger = await ok(alice, ['org', 'ledger', org])
    board = await ok(alice, ['board', 'create', 'Week 49', '--org', org])
    importer = await ok(alice, ['task', 'add', board, 'Build the importer', '--estimate', '8', '--label', 'backend'])
    schema = await ok(alice, ['task', 'add', board, 'Design the schema', '--estimate', '3'])
    await ok(alice, ['task', 'depend', board, importer, schema])
    market = await ok(alice, ['market', 'create', 'Acme jobs', '--org', org])
    await ok(alice, ['board', 'market', board, market])

    // Bob's node follows the org's board by itself; the importer waits on the schema.
    await eventually(async () => (await taskAt(bob, board, importer))?.dependencies?.includes(schema) === true, 30_000, 'the board at Bob')
    const blocked = await cli(bob, 'task', 'move', board, importer, 'doing')
    expect(blocked.code).toBe(4)
    expect(blocked.err.error.name).toBe('BlockedTaskError')
    expect((await taskAt(bob, board, importer)).status).toBe('todo')
    const ready = (await cli(bob, 'task', 'list', board, '--ready')).out.tasks.map((t: any) => t.id)
    expect(ready).toEqual([schema])
  }, 180_000)

  it('Alice assigns Bob the schema: it is in his inbox, he claims it and takes it to done', async () => {
    await ok(alice, ['task', 'assign', board, schema, 'Bob'])
    await eventually(async () => (await kinds(bob, schema)).includes('task.assigned'), 30_000, "the assignment in Bob's inbox")
    expect((await inbox(bob)).find((i) => i.kind === 'task.assigned')?.actor).toEqual({ id: alice.ready.id, name: 'Alice' })
    const mine = (await cli(bob, 'tasks')).out.tasks.map((t: any) => t.id)
    expect(mine).toEqual([schema])

    await ok(bob, ['task', 'claim', board, schema])
    for (const state of ['doing', 'review', 'done']) await ok(bob, ['task', 'move', board, schema, state])
    await eventually(async () => (await taskAt(alice, board, schema))?.status === 'done', 30_000, 'the schema done at Alice')
    expect((await taskAt(alice, board, schema)).holder).toBe(bob.ready.id)
  }, 120_000)

  it('the importer, ready now, is announced by itself; Erin finds the market, applies, is accepted; every inbox says so', async () => {
    // The market had the schema's announcement (ready at the start); the importer joins it once ready.
    const announced = async (d: DaemonProcess): Promise<any[]> => {
      const r = await cli(d, 'market', 'list', market)
      return r.code === 0 ? r.out.announcements.filter((a: any) => a.body.board === board && a.body.task === importer) : []
    }
    await eventually(async () => (await announced(alice)).length === 1, 30_000, 'the importer announced')

    await ok(erin, ['space', 'join', org])
    await eventually(async () => (await cli(erin, 'market', 'list')).out?.markets.some((m: any) => m.market === market && m.name === 'Acme jobs') === true, 30_000, 'the market listed at Erin')
    await ok(erin, ['market', 'join', market])
    await eventually(async () => (await announced(erin)).length === 1, 30_000, 'the announcement at Erin')
    const application = await ok(erin, ['market', 'apply', market, importer, '--note', 'I have built three importers'])

    await eventually(async () => (await kinds(alice)).includes('application.received'), 30_000, "the application in Alice's inbox")
    const received = (await inbox(alice)).find((i) => i.kind === 'application.received') as Item
    expect(received.actor).toEqual({ id: erin.ready.id, name: 'Erin' })
    await ok(alice, ['market', 'accept', market, application, '--reason', 'three importers'])
    await eventually(async () => (await kinds(erin)).includes('application.accepted'), 30_000, "the acceptance in Erin's inbox")
  }, 120_000)

  it('with no other step Erin edits and moves the task to done, and holds it on every node', async () => {
    await eventually(async () => (await taskAt(erin, board, importer)) !== undefined, 30_000, 'the board at Erin, followed by itself')
    await ok(erin, ['task', 'edit', board, importer, '--description', 'CSV and JSON, with a dry run'])
    for (const state of ['doing', 'review', 'done']) await ok(erin, ['task', 'move', board, importer, state])
    for (const d of [alice, bob, dave]) {
      await eventually(async () => {
        const t = await taskAt(d, board, importer)
        return t?.status === 'done' && t.holder === erin.ready.id && t.description === 'CSV and JSON, with a dry run'
      }, 30_000, `the importer done by Erin at ${d.home}`)
    }
    await ok(bob, ['task', 'comment', board, importer, '@Erin the dry run saved us, thanks'])
    await eventually(async () => (await kinds(erin, importer)).includes('mention'), 30_000, "the mention in Erin's inbox")
  }, 120_000)

  it('the contribution is recorded from the task, Bob is asked and attests, Carol rates it', async () => {
    // The ledger is the org's, readable by its members: Erin joins Acme to be paid through it.
    expect(await ok(erin, ['join', await ok(alice, ['invite', org, '--roles', 'member'])])).toBe(org)
    await eventually(async () => (await cli(erin, 'contrib', 'list', '--ledger', ledger)).code === 0, 30_000, 'the ledger at Erin')
    await eventually(async () => {
      const r = await cli(erin, 'org', 'members', org)
      return r.code === 0 && r.out.members.some((m: any) => m.id === bob.ready.id && m.roles.includes('reviewer'))
    }, 30_000, "Bob's reviewer credential at Erin")
    const recorded = await cli(erin, 'contrib', 'record', '--task', importer, '--board', board, '--ledger', ledger)
    expect(recorded.code, recorded.stderr).toBe(0)
    contribution = recorded.out.entry?.id ?? recorded.out.id
    const [mine] = (await cli(erin, 'contrib', 'list', '--ledger', ledger)).out.contributions
    expect(mine.id).toBe(contribution)
    expect(mine.body).toMatchObject({ task: importer, board, title: 'Build the importer', effort: 8, reviewers: [bob.ready.id] })

    await eventually(async () => (await kinds(bob)).includes('attestation.requested'), 30_000, "the request in Bob's inbox")
    await ok(bob, ['contrib', 'attest', contribution, '--quality', '5', '--note', 'tested against our real exports'])
    await eventually(async () => !(await kinds(bob)).includes('attestation.requested'), 30_000, 'the request gone once attested')
    await eventually(async () => (await cli(carol, 'contrib', 'show', contribution)).code === 0, 30_000, 'the contribution at Carol')
    await ok(carol, ['contrib', 'feedback', importer, '--board', board, '--satisfaction', '4', '--note', 'our backlog came in whole'])
  }, 120_000)

  it('Dave computes the shares with their weights, settles them, and Erin verifies the settlement on her node', async () => {
    let explained = ''
    await eventually(async () => {
      const r = await mutual(['--home', dave.home, 'shares', '--explain'])
      explained = r.stdout
      return r.code === 0 && explained.includes(contribution) && /\byes\b/.test(explained.split('\n').find((l) => l.startsWith(contribution)) ?? '')
    }, 30_000, 'the attested, rated contribution counted at Dave')
    expect(explained).toMatch(/weights\s+effort \d+, quality \d+, satisfaction \d+, endorsement \d+, allocation \d+/)
    const shares = (await cli(dave, 'shares')).out
    expect(shares.shares).toEqual([{ participant: erin.ready.id, ppm: 1_000_000, agents: [] }])

    const settled = await cli(dave, 'shares', 'settle', '--period', new Date().toISOString().slice(0, 7))
    expect(settled.code, settled.stderr).toBe(0)
    const settlement = settled.out.entry?.id ?? settled.out.id
    await eventually(async () => (await cli(erin, 'shares', 'verify', settlement)).code === 0, 30_000, 'the settlement verified at Erin')
    expect((await cli(erin, 'shares')).out.hash).toBe(shares.hash)
  }, 120_000)

  it('every inbox held what needed its person, and nothing meant for another', async () => {
    expect(await kinds(alice)).toEqual(['application.received'])
    expect(await kinds(bob)).toEqual(['task.assigned'])
    expect(await kinds(carol)).toEqual([])
    expect(await kinds(dave)).toEqual([])
    expect(await kinds(erin)).toEqual(['application.accepted', 'mention'].sort())
  })
})
