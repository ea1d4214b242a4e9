import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { api, buildOnce, cleanup, eventually, mutual, mutualJson, ok, startDaemon, tempHome, type DaemonProcess } from './cli/helpers.js'

/**
 * Work that flows, through the built CLI against two real daemon processes: assignment, blocked
 * moves, filtered lists and `mutual tasks`, the claim that loses, and the workflow by commands,
 * each with its bad input refused by name and nothing stored.
 */

let a: DaemonProcess
let b: DaemonProcess
let board: string
let spec: string
let build: string
let ship: string

const run = async (d: DaemonProcess, args: string[]): ReturnType<typeof mutual> => await mutual([...args, '--home', d.home], { env: { NO_COLOR: '1' } })
const json = async <T = any>(d: DaemonProcess, args: string[]): Promise<T> => await mutualJson<T>([...args, '--home', d.home])
const errorOf = (stderr: string): any => JSON.parse(stderr.trim().split('\n').at(-1)!).error
/** The board's entries as the daemon holds them: what a refused request must leave as it was. */
const vector = async (d: DaemonProcess): Promise<unknown> => (await api(d, 'GET', `/boards/${board}`)).body.sync.vector
const taskOf = async (d: DaemonProcess, id: string): Promise<any> => (await json(d, ['task', 'show', board, id])).task

beforeAll(async () => {
  buildOnce()
  ;[a, b] = await Promise.all([startDaemon(tempHome()), startDaemon(tempHome())])
  board = await ok(a, ['board', 'create', 'Flow'])
  spec = await ok(a, ['task', 'add', board, 'Write the spec', '--estimate', '3', '--label', 'docs', '--due', '2026-12-01', '--description', 'Goals and scope'])
  build = await ok(a, ['task', 'add', board, 'Build it', '--estimate', '5', '--due', '2027-01-15'])
  ship = await ok(a, ['task', 'add', board, 'Ship it', '--estimate', '1', '--label', 'ops'])
  await ok(a, ['task', 'depend', board, build, spec])
  const ticket = await ok(a, ['board', 'invite', board])
  await ok(b, ['join', ticket])
  await eventually(async () => (await api(b, 'GET', `/boards/${board}/tasks`)).body.tasks?.length === 3, 20_000, 'the board on b')
}, 180_000)

afterAll(async () => {
  try {
    for (const d of [a, b]) if (d !== undefined) expect(await d.stop()).toBe(0)
  } finally {
    cleanup()
  }
})

describe('assignment', () => {
  it('the creator assigns; the assignee sees it in task show and mutual tasks, and an SSE event says so', async () => {
    const before = (await api(b, 'GET', '/status')).status
    expect(before).toBe(200)
    const assigned = await run(a, ['task', 'assign', board, build, b.ready.id])
    expect(assigned.code).toBe(0)
    expect(assigned.stderr).toContain(`assigned task ${build} to ${b.ready.id}`)
    await eventually(async () => (await taskOf(b, build)).assignee === b.ready.id, 20_000, 'the assignment on b')
    expect(await taskOf(b, build)).toMatchObject({ assignee: b.ready.id, assignedBy: a.ready.id, confirmed: false, holder: null })
    const shown = await run(b, ['task', 'show', board, build])
    expect(shown.stdout).toMatch(new RegExp(`^assignee\\s+${b.ready.id} \\(assigned by 12D3KooW\\S+…\\S{4}, not claimed yet\\)$`, 'm'))
    expect(shown.stdout).toMatch(/^\S+\s+12D3KooW\S+\s+b\w+\s+assigned to 12D3KooW\S+…\S{4}$/m)
    const mine = await json(b, ['tasks'])
    expect(mine.tasks.map((t: any) => [t.board, t.boardName, t.id])).toEqual([[board, 'Flow', build]])

    // Bob's claim confirms it.
    await ok(b, ['task', 'claim', board, build])
    expect(await taskOf(b, build)).toMatchObject({ assignee: b.ready.id, holder: b.ready.id, confirmed: true })

    // The event stream of Bob's daemon told of the assignment (replayed from the start).
    const { url, token } = JSON.parse(readFileSync(join(b.home, 'api'), 'utf8')) as { url: string, token: string }
    const controller = new AbortController()
    const res = await fetch(`${url}/api/v1/events`, { headers: { authorization: `Bearer ${token}`, 'last-event-id': '0' }, signal: controller.signal })
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
    let text = ''
    while (!text.includes('event: assignment')) text += (await reader.read()).value ?? ''
    controller.abort()
    const data = JSON.parse(/event: assignment\ndata: (.*)\n/.exec(text)![1])
    expect(data).toMatchObject({ board, task: build, assignee: b.ready.id, by: a.ready.id, origin: 'remote' })
  })

  it('clears with --none; refuses a writer who does not administer the board, and bad input, storing nothing', async () => {
    const before = await vector(a)
    const refused = await run(b, ['task', 'assign', board, ship, b.ready.id, '--json'])
    expect(refused.code).toBe(4)
    expect(errorOf(refused.stderr)).toMatchObject({ name: 'UnauthorizedError', status: 403 })
    const both = await run(a, ['task', 'assign', board, ship, b.ready.id, '--none'])
    expect(both.code).toBe(2)
    const neither = await run(a, ['task', 'assign', board, ship])
    expect(neither.code).toBe(2)
    const unknownPerson = await run(a, ['task', 'assign', board, ship, 'nobody-known'])
    expect(unknownPerson.code).toBe(2)
    const badId = await api(a, 'PUT', `/boards/${board}/tasks/${ship}/assignee`, { assignee: 'not-an-identity' })
    expect(badId).toMatchObject({ status: 400, body: { name: 'InvalidTaskError' } })
    const noTask = await api(a, 'PUT', `/boards/${board}/tasks/nosuchtask12/assignee`, { assignee: b.ready.id })
    expect(noTask).toMatchObject({ status: 404, body: { name: 'UnknownTaskError' } })
    const noBody = await api(a, 'PUT', `/boards/${board}/tasks/${ship}/assignee`, {})
    expect(noBody).toMatchObject({ status: 400, body: { name: 'InvalidRequestError' } })
    expect(await vector(a)).toEqual(before)
    expect((await taskOf(a, ship)).assignee).toBeNull()

    await ok(a, ['task', 'assign', board, ship, b.ready.id])
    expect((await taskOf(a, ship)).assignee).toBe(b.ready.id)
    const cleared = await run(a, ['task', 'assign', board, ship, '--none'])
    expect(cleared.stderr).toContain(`task ${ship} has no assignee now`)
    expect(await taskOf(a, ship)).toMatchObject({ assignee: null, assignedBy: null })
  })
})

describe('dependencies block, filters and my tasks', () => {
  it('refuses to move a task waiting on an unfinished one into an active state (BlockedTaskError, exit 4)', async () => {
    const before = await vector(a)
    const human = await run(a, ['task', 'move', board, build, 'doing'])
    expect(human.code).toBe(4)
    expect(human.stderr).toMatch(/waits on unfinished task .*\(BlockedTaskError\)/)
    const asJson = await run(a, ['task', 'move', board, build, 'doing', '--json'])
    expect(errorOf(asJson.stderr)).toMatchObject({ name: 'BlockedTaskError', status: 409, exitCode: 4 })
    expect((await taskOf(a, build)).status).toBe('todo')
    expect(await vector(a)).toEqual(before)
  })

  it('filters task lists on the daemon: --ready, --label, --text, --status, --due-before, --assignee, --mine, combined', async () => {
    const ids = async (args: string[], d = a): Promise<string[]> => (await json(d, ['task', 'list', board, ...args])).tasks.map((t: any) => t.id)
    expect(await ids(['--ready'])).toEqual([spec, ship])
    expect(await ids(['--label', 'docs'])).toEqual([spec])
    expect(await ids(['--text', 'SCOPE'])).toEqual([spec])
    expect(await ids(['--text', 'build'])).toEqual([build])
    expect(await ids(['--due-before', '2027-01-01'])).toEqual([spec])
    expect(await ids(['--assignee', b.ready.id])).toEqual([build])
    expect(await ids(['--mine'], b)).toEqual([build])
    expect(await ids(['--mine'])).toEqual([])
    expect(await ids(['--ready', '--label', 'ops'])).toEqual([ship])
    expect(await ids(['--ready', '--label', 'docs', '--due-before', '2026-11-01'])).toEqual([])
    const human = await run(a, ['task', 'list', board, '--ready'])
    expect(human.stdout.split('\n')[0]).toMatch(/^TASK\s+STATUS\s+TITLE\s+EST\s+HOLDER\s+ASSIGNEE\s+LABELS\s+DUE$/)
    const none = await run(a, ['task', 'list', board, '--label', 'nothing'])
    expect(none).toMatchObject({ code: 0, stdout: '' })
    expect(none.stderr).toMatch(/no tasks match the filters/)
    const badDate = await run(a, ['task', 'list', board, '--due-before', 'soon'])
    expect(badDate.code).toBe(2)
    expect((await api(a, 'GET', `/boards/${board}/tasks?dueBefore=soon`))).toMatchObject({ status: 400, body: { name: 'InvalidRequestError' } })
    expect((await api(a, 'GET', `/boards/${board}/tasks?ready=yes`))).toMatchObject({ status: 400, body: { name: 'InvalidRequestError' } })
  })

  it('mutual tasks: my open work across every board held here, and --all', async () => {
    const ops = await ok(a, ['board', 'create', 'Ops'])
    const backup = await ok(a, ['task', 'add', ops, 'Back up the wiki'])
    await ok(a, ['task', 'claim', ops, backup])
    await ok(a, ['task', 'claim', board, spec])
    const mine = await json(a, ['tasks'])
    expect(mine.tasks.map((t: any) => [t.boardName, t.id])).toEqual([['Flow', spec], ['Ops', backup]])
    const human = await run(a, ['tasks'])
    expect(human.stdout.split('\n')[0]).toMatch(/^BOARD\s+TASK\s+STATUS\s+TITLE\s+EST\s+HOLDER\s+ASSIGNEE\s+DUE$/)
    expect(human.stdout).toMatch(new RegExp(`^Ops\\s+${backup}\\s+todo\\s+Back up the wiki`, 'm'))
    expect((await json(a, ['tasks', '--label', 'docs'])).tasks.map((t: any) => t.id)).toEqual([spec])
    expect((await json(a, ['tasks', '--all'])).tasks.map((t: any) => t.id).sort()).toEqual([spec, build, ship, backup].sort())
    expect((await json(a, ['tasks', '--assignee', b.ready.id])).tasks.map((t: any) => t.id)).toEqual([build])
    // Done work is not open work.
    await ok(a, ['task', 'move', board, spec, 'doing'])
    await ok(a, ['board', 'workflow', board, 'allow', 'doing', 'done'])
    await ok(a, ['task', 'move', board, spec, 'done'])
    expect((await json(a, ['tasks'])).tasks.map((t: any) => t.id)).toEqual([backup])
    expect((await json(a, ['tasks', '--status', 'done'])).tasks.map((t: any) => t.id)).toEqual([spec])
    // The dependency is done: the blocked task may start now.
    await eventually(async () => (await taskOf(b, build)).ready === true, 20_000, 'build ready on b')
    await ok(b, ['task', 'move', board, build, 'doing'])
    expect((await run(a, ['tasks', '--all', '--mine'])).code).toBe(2)
    expect((await api(a, 'GET', '/tasks?mine=maybe'))).toMatchObject({ status: 400, body: { name: 'InvalidRequestError' } })
  })
})

describe('claims', () => {
  it('a claim behind an earlier one exits 4 (ClaimHeldError), its answer saying who holds it', async () => {
    await eventually(async () => (await taskOf(b, ship)).holder === null, 5_000, 'ship on b')
    await ok(a, ['task', 'claim', board, ship])
    await eventually(async () => (await taskOf(b, ship)).holder === a.ready.id, 20_000, 'the claim on b')
    const human = await run(b, ['task', 'claim', board, ship])
    expect(human.code).toBe(4)
    expect(human.stderr).toMatch(/contested by 1 other claim/)
    expect(human.stderr).toMatch(/held by an earlier claim .*\(ClaimHeldError\)/)
    const asJson = await run(b, ['task', 'claim', board, ship, '--json'])
    expect(asJson.code).toBe(4)
    expect(JSON.parse(asJson.stdout)).toMatchObject({ task: ship, holder: a.ready.id, contested: true, held: false })
    expect(errorOf(asJson.stderr)).toMatchObject({ name: 'ClaimHeldError', exitCode: 4 })
    const won = await json(a, ['task', 'claim', board, ship])
    expect(won).toMatchObject({ holder: a.ready.id, held: true, contested: true })
  })
})

describe('workflow by commands', () => {
  const workflow = async (): Promise<any> => (await json(a, ['board', 'workflow', board])).workflow

  it('sets and clears a WIP limit, adds, renames, allows, disallows, sets done and active states, removes a state', async () => {
    const wip = await run(a, ['board', 'workflow', board, 'set-wip', 'review', '2'])
    expect(wip.code).toBe(0)
    expect(wip.stderr).toContain('workflow changed: set-wip review 2')
    expect(wip.stdout).toMatch(/^review\s+Review\s+2\s+doing, done\s+yes$/m)
    expect((await workflow()).states.find((s: any) => s.id === 'review').wip).toBe(2)
    await ok(a, ['board', 'workflow', board, 'set-wip', 'review', 'none'])
    expect((await workflow()).states.find((s: any) => s.id === 'review').wip).toBeUndefined()

    await ok(a, ['board', 'workflow', board, 'add-state', 'qa', '--name', 'QA', '--after', 'review'])
    expect((await workflow()).states.map((s: any) => s.id)).toEqual(['todo', 'doing', 'review', 'qa', 'done'])
    await ok(a, ['board', 'workflow', board, 'rename-state', 'qa', 'Quality'])
    await ok(a, ['board', 'workflow', board, 'allow', 'review', 'qa'])
    await ok(a, ['board', 'workflow', board, 'allow', 'qa', 'done'])
    let wf = await workflow()
    expect(wf.states[3]).toEqual({ id: 'qa', name: 'Quality' })
    expect(wf.transitions.review).toEqual(['doing', 'done', 'qa'])
    expect(wf.transitions.qa).toEqual(['done'])
    await ok(a, ['board', 'workflow', board, 'disallow', 'review', 'done'])
    expect((await workflow()).transitions.review).toEqual(['doing', 'qa'])
    await ok(a, ['board', 'workflow', board, 'set-active', 'doing', 'review'])
    expect((await workflow()).active).toEqual(['doing', 'review'])
    await ok(a, ['board', 'workflow', board, 'set-active', 'default'])
    expect((await workflow()).active).toBeUndefined()
    await ok(a, ['board', 'workflow', board, 'set-done', 'qa'])
    expect((await workflow()).done).toBe('qa')
    await ok(a, ['board', 'workflow', board, 'set-done', 'done'])
    await ok(a, ['board', 'workflow', board, 'remove-state', 'qa'])
    wf = await workflow()
    expect(wf.states.map((s: any) => s.id)).toEqual(['todo', 'doing', 'review', 'done'])
    expect(wf.transitions.review).toEqual(['doing'])
    // Bob's daemon shows the same workflow.
    await eventually(async () => JSON.stringify((await json(b, ['board', 'workflow', board])).workflow) === JSON.stringify(wf), 20_000, 'the workflow on b')
  })

  it('refuses removing a state tasks are in, a workflow without moves, and bad changes, changing nothing', async () => {
    const before = await workflow()
    const entries = await vector(a)
    const occupied = await run(a, ['board', 'workflow', board, 'remove-state', 'doing', '--json'])
    expect(occupied.code).toBe(4)
    expect(errorOf(occupied.stderr)).toMatchObject({ name: 'InvalidWorkflowError', status: 400 })
    expect(errorOf(occupied.stderr).message).toMatch(/is in state "doing"/)
    const noMoves = await run(a, ['board', 'workflow', board, '--set', JSON.stringify({ states: before.states, done: 'done' }), '--json'])
    expect(noMoves.code).toBe(4)
    expect(errorOf(noMoves.stderr)).toMatchObject({ name: 'InvalidWorkflowError' })
    expect(errorOf(noMoves.stderr).message).toMatch(/"transitions": "any"/)
    const createNoMoves = await run(a, ['board', 'create', 'Loose', '--workflow', '{"states":[{"id":"a","name":"A"},{"id":"b","name":"B"}],"done":"b"}'])
    expect(createNoMoves.code).toBe(4)
    expect(createNoMoves.stderr).toContain('InvalidWorkflowError')
    for (const bad of [['set-wip', 'doing', '0'], ['set-wip', 'doing'], ['explode'], ['allow', 'todo'], ['rename-state', 'todo', 'x', '--after', 'done']]) {
      const r = await run(a, ['board', 'workflow', board, ...bad])
      expect(r.code, bad.join(' ')).toBe(2)
    }
    for (const bad of [['set-wip', 'nope', '2'], ['add-state', 'doing'], ['remove-state', 'done'], ['allow', 'todo', 'nope'], ['set-active', 'nope']]) {
      const r = await run(a, ['board', 'workflow', board, ...bad, '--json'])
      expect(r.code, bad.join(' ')).toBe(4)
      expect(errorOf(r.stderr).name, bad.join(' ')).toBe('InvalidWorkflowError')
    }
    const badOp = await api(a, 'POST', `/boards/${board}/workflow/changes`, { op: 'explode' })
    expect(badOp).toMatchObject({ status: 400, body: { name: 'InvalidRequestError' } })
    const badWip = await api(a, 'POST', `/boards/${board}/workflow/changes`, { op: 'set-wip', state: 'doing', wip: -1 })
    expect(badWip).toMatchObject({ status: 400, body: { name: 'InvalidWorkflowError' } })
    expect(await workflow()).toEqual(before)
    expect(await vector(a)).toEqual(entries)
  })

  it('a writer changes the workflow as the creator does, and the change reaches every replica', async () => {
    await ok(b, ['board', 'workflow', board, 'set-wip', 'doing', '3'])
    await eventually(async () => (await workflow()).states.find((s: any) => s.id === 'doing').wip === 3, 20_000, "Bob's limit on a")
  })
})

describe('assignment on an organization board', () => {
  it('an org admin who did not create the board assigns; a member who did not create it is refused, nothing stored', async () => {
    const c = await startDaemon(tempHome())
    try {
      const org = await ok(a, ['org', 'create', 'Acme'])
      for (const d of [b, c]) expect(await ok(d, ['join', await ok(a, ['invite', org, '--roles', 'member'])])).toBe(org)
      await eventually(async () => (await mutual(['org', 'show', org, '--home', b.home])).code === 0, 15_000, 'the org at b')
      const made = await mutual(['board', 'create', 'Acme work', '--org', org, '--home', b.home])
      expect(made.code, made.stderr).toBe(0)
      const orgBoard = made.stdout.trim()
      const task = await ok(b, ['task', 'add', orgBoard, 'Plan the quarter'])
      const on = async (d: DaemonProcess): Promise<any> => (await api(d, 'GET', `/boards/${orgBoard}/tasks/${task}`)).body.task
      await eventually(async () => (await on(a))?.id === task && (await on(c))?.id === task, 20_000, 'the org board at a and c')

      // The member c writes the board but does not administer it.
      const refused = await run(c, ['task', 'assign', orgBoard, task, c.ready.id, '--json'])
      expect(refused.code).toBe(4)
      expect(errorOf(refused.stderr)).toMatchObject({ name: 'UnauthorizedError' })
      expect((await api(c, 'GET', `/spaces/${orgBoard}/vector`)).body.vector[c.ready.id]).toBeUndefined()

      // The org's admin a assigns to c; every node takes the entry (its refs prove a is an admin).
      await ok(a, ['task', 'assign', orgBoard, task, c.ready.id])
      for (const d of [a, b, c]) {
        await eventually(async () => (await on(d))?.assignee === c.ready.id, 20_000, `the assignment at ${d.ready.id}`)
        expect(await on(d)).toMatchObject({ assignee: c.ready.id, assignedBy: a.ready.id })
      }
      expect((await json(c, ['tasks'])).tasks.map((t: any) => t.id)).toEqual([task])
    } finally {
      expect(await c.stop()).toBe(0)
    }
  }, 120_000)
})
