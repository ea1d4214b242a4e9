import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cidOf, encode } from '@mutual/protocol'
import { buildOnce, cleanup, mutual, mutualJson, startDaemon, tempHome, type DaemonProcess } from './helpers.js'

// The board, task and join commands against one real daemon process: human output, --json output, exit codes.

let daemon: DaemonProcess
let home: string
const run = async (args: string[]): ReturnType<typeof mutual> => await mutual([...args, '--home', home])
const json = async <T = any>(args: string[]): Promise<T> => await mutualJson<T>([...args, '--home', home])
/** The JSON error line a failed `--json` command writes on stderr. */
const errorOf = (stderr: string): any => JSON.parse(stderr.trim().split('\n').at(-1)!).error
const UNKNOWN_BOARD = cidOf(encode({ no: 'board' })).toString()

beforeAll(async () => {
  buildOnce()
  home = tempHome()
  daemon = await startDaemon(home)
}, 120_000)

afterAll(async () => {
  try {
    if (daemon !== undefined) expect(await daemon.stop()).toBe(0)
  } finally {
    cleanup()
  }
})

let board: string
let spec: string
let review: string

describe('mutual board', () => {
  it('list with no boards says so on stderr', async () => {
    const human = await run(['board', 'list'])
    expect(human).toMatchObject({ code: 0, stdout: '' })
    expect(human.stderr).toMatch(/no boards yet/)
    expect(await json(['board', 'list'])).toEqual({ boards: [] })
  })

  it('create prints the board id (human) or { board } (json)', async () => {
    const human = await run(['board', 'create', 'Launch'])
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/^b\w+\n$/)
    expect(human.stderr).toMatch(/created board "Launch"/)
    board = human.stdout.trim()
    const workflow = '{"states":[{"id":"open","name":"Open"},{"id":"closed","name":"Closed"}],"transitions":"any","done":"closed"}'
    const created = await json(['board', 'create', 'Support', '--workflow', workflow])
    expect(created.board).toMatch(/^b\w+$/)
    expect((await json(['board', 'workflow', created.board])).workflow).toEqual(JSON.parse(workflow))
  })

  it('create refuses a workflow that is not JSON (exit 2) or not a workflow (exit 4)', async () => {
    const notJson = await run(['board', 'create', 'x', '--workflow', '{states'])
    expect(notJson.code).toBe(2)
    expect(notJson.stderr).toMatch(/not JSON/)
    const bad = await run(['board', 'create', 'x', '--workflow', '{"states":[],"done":"x"}', '--json'])
    expect(bad.code).toBe(4)
    expect(errorOf(bad.stderr)).toMatchObject({ name: 'InvalidWorkflowError', status: 400, exitCode: 4 })
  })

  it('list', async () => {
    const human = await run(['board', 'list'])
    expect(human.code).toBe(0)
    expect(human.stdout.split('\n')[0]).toMatch(/^BOARD\s+NAME\s+TASKS\s+WRITERS\s+CREATOR$/)
    expect(human.stdout).toMatch(new RegExp(`^${board}\\s+Launch\\s+0\\s+1\\s+12D3KooW\\S+…\\S{4}$`, 'm'))
    const { boards } = await json(['board', 'list'])
    expect(boards).toContainEqual({ board, name: 'Launch', creator: daemon.ready.id, org: null, tasks: 0, writers: [] })
  })

  it('malformed ids are usage errors (exit 2); unknown boards are refused (exit 4)', async () => {
    const malformed = await run(['board', 'show', 'not-a-board'])
    expect(malformed.code).toBe(2)
    expect(malformed.stderr).toMatch(/is not a board id/)
    const unknown = await run(['board', 'show', UNKNOWN_BOARD, '--json'])
    expect(unknown.code).toBe(4)
    expect(unknown.stdout).toBe('')
    expect(errorOf(unknown.stderr)).toMatchObject({ name: 'NotABoardError', status: 404, exitCode: 4 })
  })
})

describe('mutual task', () => {
  it('add prints the task id (human) or the task (json)', async () => {
    const human = await run(['task', 'add', board, 'Write the spec', '--estimate', '3', '--label', 'docs', '--label', 'v1', '--due', '2026-12-01', '--description', 'the plan'])
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/^\w+\n$/)
    expect(human.stderr).toMatch(/added task "Write the spec" \(todo\)/)
    spec = human.stdout.trim()
    const created = await json(['task', 'add', board, 'Review the spec', '--estimate', '1'])
    expect(created).toMatchObject({ title: 'Review the spec', status: 'todo', estimate: 1, labels: [], holder: null, ready: true, createdBy: daemon.ready.id })
    review = created.id
  })

  it('add refuses bad input: exit 2 for options, exit 4 for what the board refuses', async () => {
    expect((await run(['task', 'add', board, 'x', '--estimate', 'lots'])).code).toBe(2)
    expect((await run(['task', 'add', 'nope', 'x'])).code).toBe(2)
    const badDue = await run(['task', 'add', board, 'x', '--due', 'someday', '--json'])
    expect(badDue.code).toBe(4)
    expect(errorOf(badDue.stderr)).toMatchObject({ name: 'InvalidTaskError', status: 400 })
    const badState = await run(['task', 'add', board, 'x', '--status', 'nowhere'])
    expect(badState.code).toBe(4)
    expect(badState.stderr).toMatch(/no state "nowhere".*TransitionError/)
    const unknown = await run(['task', 'add', UNKNOWN_BOARD, 'x'])
    expect(unknown.code).toBe(4)
    expect(unknown.stderr).toMatch(/NotABoardError/)
  })

  it('depend, move, claim, comment and edit', async () => {
    const depend = await run(['task', 'depend', board, review, spec])
    expect(depend).toMatchObject({ code: 0, stdout: '' })
    expect(depend.stderr).toMatch(`task ${review} now waits for ${spec}`)
    const cycle = await run(['task', 'depend', board, spec, review, '--json'])
    expect(cycle.code).toBe(4)
    expect(errorOf(cycle.stderr)).toMatchObject({ name: 'DependencyCycleError', status: 409 })

    const forbidden = await run(['task', 'move', board, spec, 'done'])
    expect(forbidden.code).toBe(4)
    expect(forbidden.stderr).toMatch(/todo → done.*TransitionError/)
    const moved = await run(['task', 'move', board, spec, 'doing'])
    expect(moved).toMatchObject({ code: 0, stdout: '' })
    expect(moved.stderr).toMatch(`moved task ${spec} to doing`)
    expect((await json(['task', 'move', board, review, 'todo'])).status).toBe('todo')

    const claim = await run(['task', 'claim', board, spec])
    expect(claim.code).toBe(0)
    expect(claim.stdout).toMatch(/^b\w+\n$/)
    expect(claim.stderr).toMatch(`claimed task ${spec}`)
    const claimJson = await json(['task', 'claim', board, spec])
    expect(claimJson).toMatchObject({ task: spec, holder: daemon.ready.id, contested: false })

    const comment = await run(['task', 'comment', board, spec, 'halfway there'])
    expect(comment.code).toBe(0)
    expect(comment.stdout).toMatch(/^\w+\n$/)

    const nothing = await run(['task', 'edit', board, spec])
    expect(nothing.code).toBe(2)
    expect(nothing.stderr).toMatch(/nothing to change/)
    const edited = await json(['task', 'edit', board, spec, '--title', 'Write the spec (v2)', '--due', 'none'])
    expect(edited).toMatchObject({ id: spec, title: 'Write the spec (v2)', due: null, labels: ['docs', 'v1'] })
  })

  it('list', async () => {
    const human = await run(['task', 'list', board])
    expect(human.code).toBe(0)
    const lines = human.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^TASK\s+STATUS\s+TITLE\s+EST\s+HOLDER\s+ASSIGNEE\s+LABELS\s+DUE$/)
    expect(lines[1]).toMatch(new RegExp(`^${review}\\s+todo\\s+Review the spec\\s+1\\s+-\\s+-$`))
    // Its holder by claim is its assignee, no one having assigned it.
    expect(lines[2]).toMatch(new RegExp(`^${spec}\\s+doing\\s+Write the spec \\(v2\\)\\s+3\\s+(12D3KooW\\S+…\\S{4})\\s+\\1\\s+docs, v1$`))
    const { tasks } = await json(['task', 'list', board])
    expect(tasks.map((t: any) => [t.id, t.status, t.holder])).toEqual([[review, 'todo', null], [spec, 'doing', daemon.ready.id]])
    expect((await json(['task', 'list', board, '--status', 'doing'])).tasks.map((t: any) => t.id)).toEqual([spec])
    const none = await run(['task', 'list', board, '--status', 'review'])
    expect(none).toMatchObject({ code: 0, stdout: '' })
    expect(none.stderr).toMatch(/no tasks in "review"/)
  })

  it('show: details, claims and history', async () => {
    const human = await run(['task', 'show', board, spec])
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/^title\s+Write the spec \(v2\)$/m)
    expect(human.stdout).toMatch(/^status\s+doing \(ready\)$/m)
    expect(human.stdout).toMatch(new RegExp(`^holder\\s+${daemon.ready.id}$`, 'm'))
    expect(human.stdout).toMatch(/^Description\nthe plan$/m)
    expect(human.stdout).toMatch(/halfway there$/m)
    expect(human.stdout).toMatch(new RegExp(`^${daemon.ready.id} \\(holds it\\)\\s+\\S+Z\\s+b\\w+$`, 'm'))
    expect(human.stdout).toMatch(/^TIME\s+AUTHOR\s+ENTRY\s+CHANGES$/m)
    expect(human.stdout).toMatch(new RegExp(`^\\S+Z\\s+${daemon.ready.id}\\s+b\\w+\\s+status todo → doing, rank$`, 'm'))

    const detail = await json(['task', 'show', board, spec])
    expect(detail.task).toMatchObject({ id: spec, holder: daemon.ready.id })
    expect(detail.claimants).toEqual([expect.objectContaining({ author: daemon.ready.id })])
    const changes = detail.history.flatMap((h: any) => h.changes)
    expect(changes).toEqual(expect.arrayContaining(['created', 'status', 'claimed', 'comment added', 'title', 'due']))
    expect(detail.history.every((h: any) => h.author === daemon.ready.id && /^b\w+$/.test(h.entry))).toBe(true)

    const unknown = await run(['task', 'show', board, 'nosuchtask'])
    expect(unknown.code).toBe(4)
    expect(unknown.stderr).toMatch(/UnknownTaskError/)
  })

  it('release, undepend and delete', async () => {
    const release = await run(['task', 'release', board, spec])
    expect(release.code).toBe(0)
    expect(release.stderr).toMatch(`released task ${spec}; nobody holds it`)
    expect((await json(['task', 'depend', board, review, spec, '--remove'])).dependencies).toEqual([])
    const deleted = await run(['task', 'delete', board, review])
    expect(deleted).toMatchObject({ code: 0, stdout: '' })
    expect(deleted.stderr).toMatch(`deleted task ${review}`)
    expect((await run(['task', 'delete', board, review])).code).toBe(4)
  })
})

describe('mutual board show and workflow', () => {
  it('show: tasks by state, workload, sync', async () => {
    expect((await run(['task', 'claim', board, spec])).code).toBe(0)
    const human = await run(['board', 'show', board])
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(new RegExp(`^board\\s+${board}$`, 'm'))
    expect(human.stdout).toMatch(/^sync\s+\d+ entries from 1 author; replicating; 0 peers connected; 0 pending$/m)
    expect(human.stdout).toMatch(/^To do \(0\)\n {2}\(none\)$/m)
    expect(human.stdout).toMatch(new RegExp(`^Doing \\(1\\)\\nTASK\\s+TITLE\\s+EST\\s+HOLDER\\s+LABELS\\s+DUE\\n${spec}\\s+Write the spec \\(v2\\)\\s+3`, 'm'))
    expect(human.stdout).toMatch(new RegExp(`^Workload\\nPERSON\\s+OPEN ESTIMATE\\n${daemon.ready.id}\\s+3$`, 'm'))
    const detail = await json(['board', 'show', board])
    expect(detail).toMatchObject({ board, name: 'Launch', creator: daemon.ready.id, writable: true, ready: [spec], workload: [{ person: daemon.ready.id, estimate: 3 }] })
    expect(detail.sync).toMatchObject({ joined: true, peers: [], pending: 0 })
  })

  it('workflow: show, replace, and refuse one that drops a state in use', async () => {
    const human = await run(['board', 'workflow', board])
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/^STATE\s+NAME\s+WIP\s+MOVES TO\s+ACTIVE\s+DONE$/m)
    expect(human.stdout).toMatch(/^todo\s+To do\s+-\s+doing$/m)
    expect(human.stdout).toMatch(/^doing\s+Doing\s+-\s+todo, review\s+yes$/m)
    expect(human.stdout).toMatch(/^done\s+Done\s+-\s+review\s+yes\s+yes$/m)
    const next = { states: [{ id: 'todo', name: 'To do' }, { id: 'doing', name: 'Doing', wip: 2 }, { id: 'done', name: 'Done' }], transitions: 'any', done: 'done' }
    const set = await run(['board', 'workflow', board, '--set', JSON.stringify(next), '--json'])
    expect(set.code).toBe(0)
    expect(JSON.parse(set.stdout)).toEqual({ workflow: next })
    const drops = await run(['board', 'workflow', board, '--set', '{"states":[{"id":"todo","name":"To do"}],"transitions":"any","done":"todo"}'])
    expect(drops.code).toBe(4)
    expect(drops.stderr).toMatch(/drops.*InvalidWorkflowError/)
  })
})

describe('invites and join', () => {
  it('invite prints a ticket; invites lists them; revoke-invite revokes', async () => {
    const human = await run(['board', 'invite', board, '--expires', '2h', '--uses', '3'])
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/^mutual1:[A-Za-z0-9_-]+\n$/)
    expect(human.stderr).toMatch(/invite \S+: 3 uses, expires \S+Z; the invitee runs `mutual join <ticket>`/)
    const created = await json(['board', 'invite', board])
    expect(created).toMatchObject({ ticket: expect.stringMatching(/^mutual1:/), uses: 1 })
    expect(Date.parse(created.expires) - Date.now()).toBeGreaterThan(6.9 * 86_400_000)

    const list = await run(['board', 'invites', board])
    expect(list.code).toBe(0)
    expect(list.stdout.split('\n')[0]).toMatch(/^INVITE\s+STATUS\s+USED\s+EXPIRES\s+CREATED$/)
    expect(list.stdout).toMatch(new RegExp(`^${created.id}\\s+active\\s+0/1\\s`, 'm'))
    const revoke = await run(['board', 'revoke-invite', board, created.id])
    expect(revoke).toMatchObject({ code: 0, stdout: '' })
    expect(revoke.stderr).toMatch(`revoked invite ${created.id}`)
    const { invites } = await json(['board', 'invites', board])
    expect(invites.find((i: any) => i.id === created.id)).toMatchObject({ status: 'revoked', revoked: true })
    expect((await run(['board', 'revoke-invite', board, 'nosuchinvite'])).code).toBe(4)
  })

  it('invite refuses bad options (exit 2)', async () => {
    for (const args of [['--expires', 'soon'], ['--expires', '0s'], ['--uses', '0'], ['--uses', 'many']]) {
      const result = await run(['board', 'invite', board, ...args])
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stdout).toBe('')
    }
  })

  it('join refuses a malformed ticket and this node\'s own ticket (exit 4)', async () => {
    const malformed = await run(['join', 'mutual1:garbage!', '--json'])
    expect(malformed.code).toBe(4)
    expect(errorOf(malformed.stderr)).toMatchObject({ name: 'InvalidTicketError', status: 400, exitCode: 4 })
    const own = (await run(['board', 'invite', board])).stdout.trim()
    const result = await run(['join', own])
    expect(result.code).toBe(4)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/made by this node.*InviteError/)
  })

  it('--json puts only JSON on stdout for every board command', async () => {
    for (const args of [['board', 'list'], ['board', 'show', board], ['board', 'invites', board], ['task', 'list', board], ['task', 'show', board, spec]]) {
      const result = await run([...args, '--json'])
      expect(result.code, args.join(' ')).toBe(0)
      expect(() => JSON.parse(result.stdout)).not.toThrow()
    }
  })
})
