import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, buildOnce, cleanup, cliJson, eventually, mutual, ok, startDaemon, tempHome, type DaemonProcess, type JsonResult } from './helpers.js'

/**
 * From a done task to shares, end to end over three real daemons driven through the built CLI:
 * Alice founds the org (admin; also consumer and auditor), Bob does the work, Carol reviews on
 * her own daemon. The task's holder records its contribution with `contrib record --task`; the
 * reviewer the org names is asked, attests with a note; a consumer rates the task; a dispute is
 * opened and resolved; `contrib show` and `shares --explain` show all of it, and the shares are
 * the same on every node.
 */

let alice: DaemonProcess
let bob: DaemonProcess
let carol: DaemonProcess
let board: string
let task: string
let ledger: string

const cli = async (d: DaemonProcess, ...args: string[]): Promise<JsonResult> => await cliJson(d.home, args)

async function contributions (d: DaemonProcess): Promise<any[]> {
  return (await cli(d, 'contrib', 'list')).out.contributions
}

beforeAll(async () => {
  buildOnce()
  ;[alice, bob, carol] = await Promise.all([startDaemon(tempHome()), startDaemon(tempHome()), startDaemon(tempHome())])
  await ok(bob, ['connect', alice.ready.addresses[0]])
  await ok(carol, ['connect', alice.ready.addresses[0]])
  const org = await ok(alice, ['org', 'create', 'acme'])
  await ok(alice, ['org', 'grant', org, alice.ready.id, '--role', 'member', '--role', 'consumer', '--role', 'auditor'])
  await ok(alice, ['org', 'grant', org, bob.ready.id, '--role', 'member'])
  await ok(alice, ['org', 'grant', org, carol.ready.id, '--role', 'member', '--role', 'reviewer'])
  ledger = await ok(alice, ['org', 'ledger', org])
  board = await ok(alice, ['board', 'create', 'Sprint', '--org', org])
  task = await ok(alice, ['task', 'add', board, 'Write the importer', '--estimate', '8'])
  for (const d of [bob, carol]) {
    await ok(d, ['space', 'join', org])
    await ok(d, ['space', 'join', ledger])
    await ok(d, ['space', 'join', board])
  }
  // Bob's node must know Carol is a reviewer before he records: the org names whom to ask.
  await eventually(async () => {
    const r = await cli(bob, 'org', 'members', org)
    return r.code === 0 && r.out.members.some((m: any) => m.id === carol.ready.id && m.roles.includes('reviewer'))
  }, 30_000, "Carol's reviewer credential at Bob")
  await eventually(async () => (await cli(bob, 'task', 'show', board, task)).code === 0, 30_000, 'the task at Bob')
  await ok(bob, ['task', 'claim', board, task])
  await ok(bob, ['task', 'move', board, task, 'doing'])
}, 180_000)

afterAll(async () => {
  try {
    for (const d of [alice, bob, carol]) if (d !== undefined) expect(await d.stop()).toBe(0)
  } finally {
    cleanup()
  }
})

describe('contributions from done tasks', () => {
  it('refuses a task that is not done, and a task nobody here holds, storing nothing', async () => {
    const early = await cli(bob, 'contrib', 'record', '--task', task, '--board', board)
    expect(early.code).toBe(4)
    expect(early.err.error.name).toBe('TaskNotDoneError')
    const unknown = await cli(bob, 'contrib', 'record', '--task', 'nosuchtask12')
    expect(unknown.code).toBe(4)
    expect(unknown.err.error.name).toBe('UnknownTaskError')
    const neither = await cli(bob, 'contrib', 'record')
    expect(neither.code).toBe(2)
    const route = await api(bob, 'POST', `/ledgers/${ledger}/contributions/from-task`, { board })
    expect(route.status).toBe(400)
    expect(await contributions(bob)).toEqual([])
  })

  it('records the done task from its holder only, once: effort from the estimate, the task linked, the reviewer asked', async () => {
    await ok(bob, ['task', 'move', board, task, 'review'])
    await ok(bob, ['task', 'move', board, task, 'done'])
    await eventually(async () => (await cli(alice, 'task', 'show', board, task)).out?.task.status === 'done', 30_000, 'the done task at Alice')
    const notHolder = await cli(alice, 'contrib', 'record', '--task', task, '--board', board)
    expect(notHolder.code).toBe(4)
    expect(notHolder.err.error.name).toBe('NotTaskHolderError')
    expect(await contributions(alice)).toEqual([])

    // The board is found from the task alone (by its title here).
    const human = await mutual(['--home', bob.home, 'contrib', 'record', '--task', 'Write the importer'])
    expect(human.code, human.stderr).toBe(0)
    expect(human.stderr).toMatch(/from task "Write the importer" \(effort 8\); asked to attest: 12D3KooW/)
    const [recorded] = await contributions(bob)
    expect(recorded.id).toBe(human.stdout.trim())
    expect(recorded.body).toMatchObject({ task, board, title: 'Write the importer', effort: 8, kind: 'work', reviewers: [carol.ready.id] })
    expect(recorded.requested).toEqual([{ reviewer: carol.ready.id, attested: false }])

    const twice = await cli(bob, 'contrib', 'record', '--task', task, '--board', board)
    expect(twice.code).toBe(4)
    expect(twice.err.error.name).toBe('TaskAlreadyRecordedError')
    expect(await contributions(bob)).toHaveLength(1)
  })

  it('shows the attestation note, the rating, the dispute and its outcome; shares explained and equal on every node', async () => {
    const id = (await contributions(bob))[0].id as string
    await eventually(async () => (await cli(carol, 'contrib', 'show', id)).code === 0, 30_000, 'the contribution at Carol')
    expect((await cli(carol, 'contrib', 'attest', id, '--quality', '4', '--note', 'clean, well tested')).code).toBe(0)
    expect((await cli(alice, 'contrib', 'feedback', task, '--board', board, '--satisfaction', '5', '--note', 'imports our backlog')).code).toBe(0)
    const dispute = await cli(carol, 'dispute', 'open', id, '--reason', 'half of it was copied')
    expect(dispute.code).toBe(0)
    await eventually(async () => (await api(alice, 'GET', `/ledgers/${ledger}/contributions/${id}`)).body.outcomes?.length === 1, 30_000, 'the dispute at Alice')
    expect((await cli(alice, 'dispute', 'resolve', dispute.out.entry.id, 'dismissed', '--note', 'the history shows it was written here')).code).toBe(0)

    let shown = ''
    await eventually(async () => {
      const r = await mutual(['--home', bob.home, 'contrib', 'show', id])
      shown = r.stdout
      return r.code === 0 && shown.includes('dismissed by') && shown.includes('5/5 by')
    }, 30_000, 'everything about the contribution at Bob')
    expect(shown).toMatch(/task\s+Write the importer \([a-z2-7]{12}\) on /)
    expect(shown).toMatch(/asked to attest\s+12D3KooW\S+: attested \(accept\)/)
    expect(shown).toMatch(/attestations\s+accept q4 by 12D3KooW\S+: clean, well tested/)
    expect(shown).toMatch(/feedback\s+5\/5 by 12D3KooW\S+: imports our backlog/)
    expect(shown).toContain(': half of it was copied')
    expect(shown).toMatch(/dismissed by 12D3KooW\S+\n/)
    expect(shown).toContain(': dismissed: the history shows it was written here')
    const json = (await cli(bob, 'contrib', 'show', id)).out
    expect(json.outcomes[0]).toMatchObject({ opener: carol.ready.id, status: 'dismissed', decidedBy: [alice.ready.id], reason: 'half of it was copied' })
    expect(json.feedback).toMatchObject([{ author: alice.ready.id, satisfaction: 5, note: 'imports our backlog' }])

    const explained = await mutual(['--home', bob.home, 'shares', '--explain'])
    expect(explained.code).toBe(0)
    expect(explained.stdout).toMatch(/weights\s+effort 4000, quality 3000, satisfaction 1000, endorsement 1000, allocation 1000/)
    // effort 8, one accepting review of 4 of 4, quality 4 × 1000, one rating of 5: (5 − 1) × 1000.
    expect(explained.stdout).toMatch(new RegExp(`${id}\\s+\\S+\\s+yes\\s+8\\s+1/1\\s+4000\\s+1\\s+4000\\s+0`))
    expect(explained.stdout).toMatch(/total\s+8\s+32000\s+32000\s+0\s+0/)
    const mine = (await cli(bob, 'shares', '--explain')).out
    expect(mine.shares).toEqual([{ participant: bob.ready.id, ppm: 1_000_000, agents: [] }])
    for (const other of [alice, carol]) {
      await eventually(async () => (await cli(other, 'shares')).out?.hash === mine.hash, 30_000, 'the same distribution elsewhere')
      expect((await cli(other, 'shares')).out.shares).toEqual(mine.shares)
    }
  })
})
