import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, buildOnce, cleanup, eventually, mutual, ok, startDaemon, tempHome, type DaemonProcess } from './helpers.js'

/**
 * `mutual board export` and `mutual board import` end to end: a real daemon driven through the
 * built CLI, with files as a user has them (a tool's CSV export, a hand-broken one).
 */

let alice: DaemonProcess
let dir: string

async function cli (...args: string[]): Promise<{ code: number | null, out: any, err: any, stderr: string }> {
  const r = await mutual(['--home', alice.home, '--json', ...args])
  const err = r.stderr.split('\n').filter((l) => l.startsWith('{')).at(-1)
  return { code: r.code, out: r.stdout === '' ? undefined : JSON.parse(r.stdout), err: err === undefined ? undefined : JSON.parse(err), stderr: r.stderr }
}

/** What a user sees of a board's tasks: title, status, labels, estimate, in board order. */
async function seen (board: string): Promise<Array<[string, string, string[], number]>> {
  const { out } = await cli('task', 'list', board)
  return out.tasks.map((t: any) => [t.title, t.status, t.labels, t.estimate])
}

function file (name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

beforeAll(async () => {
  buildOnce()
  dir = tempHome()
  alice = await startDaemon(tempHome())
}, 120_000)

afterAll(async () => {
  try {
    if (alice !== undefined) expect(await alice.stop()).toBe(0)
  } finally {
    cleanup()
  }
})

describe('mutual board import', () => {
  it('imports the good rows of a Jira export, reports the bad ones by line, and a file that is not CSV changes nothing', async () => {
    const board = await ok(alice, ['board', 'create', 'Backlog', '--personal'])
    const jira = file('jira.csv', [
      'Issue key,Summary,Status,Story Points,Labels,Labels,Due Date',
      'MUT-1,Log in with a passkey,To Do,5,auth,web,2026-12-01',
      'MUT-2,Export the board,BLOCKED,3,,,',
      'MUT-3,"Import, with ""quotes""",review,2,,,',
      'MUT-4,Broken row,Done,many,,,',
      'MUT-5,Short row,Done',
      'MUT-6,Ship it,DONE,1,release,,2026-12-24'
    ].join('\n'))
    const r = await mutual(['--home', alice.home, 'board', 'import', board, jira])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain('line 3: refused: unknown status "BLOCKED"')
    expect(r.stderr).toContain('line 5: refused: bad estimate "many"')
    expect(r.stderr).toContain('line 6: refused: 3 fields where the header has 7')
    expect(r.stderr).toContain('imported 3 tasks; 3 rows refused')
    expect(await seen(board)).toEqual([
      ['Log in with a passkey', 'todo', ['auth', 'web'], 5],
      ['Import, with "quotes"', 'review', [], 2],
      ['Ship it', 'done', ['release'], 1]
    ])

    const unclosed = file('unclosed.csv', 'title,status\nFine,todo\n"Never closed,todo\nAlso fine,todo\n')
    const bad = await cli('board', 'import', board, unclosed)
    expect(bad.code).toBe(4)
    expect(bad.err.error.name).toBe('InvalidCsvError')
    const untitled = await cli('board', 'import', board, file('untitled.csv', 'what,status\nx,todo\n'))
    expect(untitled.code).toBe(4)
    expect(untitled.err.error.name).toBe('InvalidCsvError')
    const huge = await api(alice, 'POST', `/boards/${board}/import`, { csv: 'title\n' + 'x,'.repeat(600_000) })
    expect(huge.status).toBe(413)
    expect(huge.body.name).toBe('ImportTooLargeError')
    const missing = await cli('board', 'import', board, join(dir, 'no-such.csv'))
    expect(missing.code).toBe(2)
    expect(await seen(board)).toHaveLength(3)
  })

  it('reads Trello and GitHub headers', async () => {
    const board = await ok(alice, ['board', 'create', 'Imported', '--personal'])
    const trello = file('trello.csv', 'Card ID,Card Name,Card Description,Labels,List Name,Due Date\nx1,Draft the post,"first\nthen",blog,Doing,2026-12-01T09:00:00.000Z\n')
    expect((await cli('board', 'import', board, trello)).code).toBe(0)
    const github = file('github.csv', 'number,title,state,labels,body\n7,Crash on start,todo,"bug, p1",steps to reproduce\n')
    const result = await cli('board', 'import', board, github)
    expect(result.out).toMatchObject({ refused: [], columns: { title: 'title', status: 'state', labels: 'labels', description: 'body' } })
    expect(await seen(board)).toEqual([['Crash on start', 'todo', ['bug', 'p1'], 0], ['Draft the post', 'doing', ['blog'], 0]])
    const detail = await cli('task', 'show', board, result.out.imported[0].id)
    expect(detail.out.task.description).toBe('steps to reproduce')
  })

  it('refuses an import into a board this node may not write, storing nothing', async () => {
    const bob = await startDaemon(tempHome())
    try {
      const board = await ok(alice, ['board', 'create', 'Alice only', '--personal'])
      await ok(bob, ['connect', alice.ready.addresses[0]])
      await ok(bob, ['space', 'join', board])
      await eventually(async () => (await mutual(['--home', bob.home, 'board', 'show', board])).code === 0, 20_000, 'the board at Bob')
      const r = await mutual(['--home', bob.home, '--json', 'board', 'import', board, file('one.csv', 'title\nSneak in\n')])
      expect(r.code).toBe(4)
      expect(JSON.parse(r.stderr.trim().split('\n').at(-1)!).error.name).toBe('ReadOnlyBoardError')
      const atBob = await mutual(['--home', bob.home, '--json', 'task', 'list', board])
      expect(JSON.parse(atBob.stdout).tasks).toEqual([])
      expect(await seen(board)).toEqual([])
    } finally {
      expect(await bob.stop()).toBe(0)
    }
  })
})

describe('mutual board export', () => {
  it('exports JSON with holders, comments, dependencies and history, and CSV that imports as the same board', async () => {
    const board = await ok(alice, ['board', 'create', 'Launch', '--personal'])
    const spec = await ok(alice, ['task', 'add', board, 'Write the spec, v2', '--estimate', '3', '--label', 'docs', '--label', 'p1', '--due', '2026-12-01'])
    const ship = await ok(alice, ['task', 'add', board, 'Ship', '--estimate', '1.5'])
    await ok(alice, ['task', 'move', board, spec, 'doing'])
    await ok(alice, ['task', 'claim', board, spec])
    await ok(alice, ['task', 'comment', board, spec, 'First draft is up'])
    await ok(alice, ['task', 'depend', board, ship, spec])

    const json = await cli('board', 'export', board)
    expect(json.code).toBe(0)
    expect(json.out).toMatchObject({ v: 1, board, name: 'Launch', workflow: { done: 'done' } })
    expect(json.out.workflow.states.map((s: any) => s.id)).toEqual(['todo', 'doing', 'review', 'done'])
    const exported = json.out.tasks.find((t: any) => t.id === spec)
    expect(exported).toMatchObject({ status: 'doing', holder: alice.ready.id, claimants: [alice.ready.id], labels: ['docs', 'p1'], estimate: 3, due: '2026-12-01' })
    expect(exported.comments.map((c: any) => c.text)).toEqual(['First draft is up'])
    expect(exported.history.flatMap((h: any) => h.changes)).toEqual(expect.arrayContaining(['created', 'status', 'claimed', 'comment added']))
    expect(json.out.tasks.find((t: any) => t.id === ship).dependencies).toEqual([spec])

    const out = join(dir, 'launch.csv')
    const written = await mutual(['--home', alice.home, 'board', 'export', board, '--format', 'csv', '--output', out])
    expect(written.code, written.stderr).toBe(0)
    expect(written.stderr).toContain('exported 2 tasks of board "Launch" as CSV')
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('id,title,description,status,labels,estimate,due,holder,dependencies')
    const copy = await ok(alice, ['board', 'create', 'Launch copy', '--personal'])
    expect((await cli('board', 'import', copy, out)).out.refused).toEqual([])
    expect(await seen(copy)).toEqual(await seen(board))

    const badFormat = await cli('board', 'export', board, '--format', 'xml')
    expect(badFormat.code).toBe(2)
    const unknown = await api(alice, 'GET', '/boards/bafyreigm2npnpq6p4epnoavvq4pc6ozyy4ectrmtasfudbd5dmqpsx7d7q/export')
    expect(unknown.status).toBe(404)
  })
})
