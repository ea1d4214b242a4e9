import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildOnce, cleanup, eventually, mutual, ok, startDaemon, tempHome, type DaemonProcess } from './cli/helpers.js'

/**
 * Names through the CLI, over four real daemons: the admin's org and board, a worker who
 * publishes a profile, and two members who see the worker's name; ids addressed by prefix and
 * by name; an ambiguous one refused with its candidates (exit 2).
 */

let admin: DaemonProcess
let worker: DaemonProcess
let members: DaemonProcess[]
let org: string
let board: string
let task: string
beforeAll(async () => {
  buildOnce()
  ;[admin, worker, ...members] = await Promise.all([0, 1, 2, 3].map(async () => await startDaemon(tempHome())))
  org = await ok(admin, ['org', 'create', 'Acme'])
  board = await ok(admin, ['board', 'create', 'Launch'])
  task = await ok(admin, ['task', 'add', board, 'Write the spec', '--estimate', '3'])
  const orgTicket = await ok(admin, ['invite', org, '--uses', '3'])
  const boardTicket = await ok(admin, ['board', 'invite', board, '--uses', '3'])
  for (const d of [worker, ...members]) {
    expect(await ok(d, ['join', orgTicket])).toBe(org)
    expect(await ok(d, ['join', boardTicket])).toBe(board)
  }
}, 180_000)
afterAll(async () => {
  try {
    for (const d of [admin, worker, ...members]) if (d !== undefined) expect(await d.stop()).toBe(0)
  } finally {
    cleanup()
  }
})

/** Polls a command until its stdout shows `text` (bounded), then returns that stdout. */
async function shows (d: DaemonProcess, args: string[], text: string): Promise<string> {
  let last = ''
  await eventually(async () => {
    const r = await mutual([...args, '--home', d.home])
    last = r.stdout + r.stderr
    return r.code === 0 && r.stdout.includes(text)
  }, 30_000, `\`mutual ${args.join(' ')}\` to show ${text}`).catch((err: Error) => { throw new Error(`${err.message}; last output:\n${last}`) })
  return last
}

describe('names through the CLI', () => {
  it('after `profile set`, three other nodes show the name in org members, task list and board show', async () => {
    await ok(worker, ['task', 'claim', board, task])
    const set = await mutual(['profile', 'set', '--name', 'Spec Writer', '--kind', 'person', '--description', 'writes specs', '--home', worker.home])
    expect(set.code).toBe(0)
    expect(set.stderr).toMatch(/published in 2 spaces/)
    const label = 'Spec Writer (12D3KooW'
    for (const d of [admin, ...members]) {
      expect(await shows(d, ['org', 'members', org], label)).toContain(`Spec Writer (${worker.ready.id})`)
      await shows(d, ['task', 'list', board], label)
      expect(await shows(d, ['board', 'show', board], label)).toMatch(/^Workload\nPERSON\s+OPEN ESTIMATE\nSpec Writer \(/m)
    }
    const shown = await ok(members[0], ['profile', 'show', 'Spec Writer'])
    expect(shown).toMatch(/^name\s+Spec Writer$/m)
    expect(shown).toMatch(/^description\s+writes specs$/m)
  }, 180_000)

  it('addresses a board, an org and a task by id prefix and by name', async () => {
    expect(await ok(admin, ['board', 'show', 'Launch'])).toMatch(new RegExp(`^board\\s+${board}$`, 'm'))
    expect(await ok(admin, ['board', 'show', board.slice(0, 16)])).toMatch(new RegExp(`^board\\s+${board}$`, 'm'))
    expect(await ok(admin, ['org', 'show', 'acme'])).toMatch(new RegExp(`^org\\s+${org}$`, 'm'))
    expect(await ok(admin, ['org', 'show', org.slice(0, 16)])).toMatch(new RegExp(`^org\\s+${org}$`, 'm'))
    expect(await ok(admin, ['task', 'show', 'Launch', 'Write the spec'])).toMatch(new RegExp(`^task\\s+${task}$`, 'm'))
    expect(await ok(admin, ['task', 'show', board.slice(0, 16), task.slice(0, 5)])).toMatch(new RegExp(`^task\\s+${task}$`, 'm'))
    await ok(admin, ['task', 'move', 'Launch', 'Write the spec', 'doing'])
    expect(await ok(admin, ['task', 'list', 'Launch', '--status', 'doing'])).toContain(task)
  }, 120_000)

  it('an identity by its profile name or a local alias; the alias shows beside its id', async () => {
    await shows(admin, ['org', 'members', org], 'Spec Writer')
    await ok(admin, ['org', 'grant', 'Acme', 'Spec Writer', '--role', 'reviewer'])
    await ok(admin, ['alias', 'set', 'writer', worker.ready.id.slice(0, 20)])
    expect(await ok(admin, ['alias', 'list'])).toMatch(new RegExp(`^writer\\s+${worker.ready.id}\\s+Spec Writer$`, 'm'))
    expect(await ok(admin, ['org', 'members', org])).toContain(`writer (${worker.ready.id})`)
    expect(await ok(admin, ['profile', 'show', 'writer'])).toMatch(/^name\s+Spec Writer$/m)
    await ok(admin, ['alias', 'remove', 'writer'])
    expect(await ok(admin, ['org', 'members', org])).toContain(`Spec Writer (${worker.ready.id})`)
  }, 120_000)

  it('refuses an ambiguous name or prefix with the candidates (exit 2), and an unknown one (exit 2 too)', async () => {
    const first = await ok(admin, ['board', 'create', 'Twin'])
    const second = await ok(admin, ['board', 'create', 'Twin'])
    const byName = await mutual(['board', 'show', 'twin', '--home', admin.home])
    expect(byName.code).toBe(2)
    expect(byName.stderr).toContain('AmbiguousNameError')
    expect(byName.stderr).toContain(`Twin (${first})`)
    expect(byName.stderr).toContain(`Twin (${second})`)
    const byPrefix = await mutual(['board', 'show', 'bafy', '--home', admin.home, '--json'])
    expect(byPrefix.code).toBe(2)
    expect(JSON.parse(byPrefix.stderr).error).toMatchObject({ name: 'AmbiguousNameError', exitCode: 2 })
    for (const id of [board, first, second]) expect(byPrefix.stderr).toContain(id)
    const unknown = await mutual(['org', 'show', 'Nowhere Inc', '--home', admin.home])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/"Nowhere Inc" is not an org id, id prefix or name known here.*UnknownNameError/)
  }, 120_000)

  it('refuses an oversized name and changes nothing', async () => {
    const long = await mutual(['profile', 'set', '--name', 'x'.repeat(65), '--home', worker.home])
    expect(long.code).toBe(4)
    expect(long.stderr).toContain('InvalidRequestError')
    expect(await ok(worker, ['profile', 'show'])).toMatch(/^name\s+Spec Writer$/m)
  }, 60_000)
})
