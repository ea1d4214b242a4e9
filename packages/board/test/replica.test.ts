import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { levelStore } from '@mutual/log'
import { BoardReplica, checkUpdate, createBoard, snapshotKey, type BoardEvent } from '@mutual/board'
import { boardLog, canonical, deliver, identities, prng } from './helpers.js'
import { eventually } from '../../../test/support/poll.js'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

async function tempDir (): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mutual-board-'))
  dirs.push(dir)
  return dir
}

async function countUpdates (log: Awaited<ReturnType<typeof boardLog>>, space: string): Promise<number> {
  let n = 0
  for await (const e of log.spaceEntries(space)) if (e.entry.type === 'board/update') n++
  return n
}

/** A Yjs update adding a task whose id is its title, made away from any replica. */
function edit (title: string): Uint8Array {
  const doc = new Y.Doc()
  const task = new Y.Map<unknown>()
  doc.getMap('tasks').set(title, task)
  task.set('title', title)
  return Y.encodeStateAsUpdate(doc)
}

describe('BoardReplica', () => {
  it('starts from the first update: name and default workflow', async () => {
    const [alice] = await identities(1)
    const log = await boardLog()
    const space = await createBoard(log, alice, { name: 'Launch' })
    const replica = new BoardReplica({ log, space, identity: alice })
    await replica.start()
    expect(replica.board.name()).toBe('Launch')
    expect(replica.board.workflow().states.map((s) => s.id)).toEqual(['todo', 'doing', 'review', 'done'])
    expect(replica.applied).toBe(1)
    await replica.stop()
    await log.stop()
  })

  it('batches the edits of one window into one entry, encoded from the document', async () => {
    const [alice] = await identities(1)
    const log = await boardLog()
    const space = await createBoard(log, alice, { name: 'B' })
    const replica = new BoardReplica({ log, space, identity: alice, batchMs: 20 })
    await replica.start()
    const events: BoardEvent['type'][] = []
    replica.subscribe((e) => { events.push(e.type) })
    const ids: string[] = []
    for (let i = 0; i < 2000; i++) ids.push(replica.board.addTask({ title: `task ${i}`, estimate: 1 }))
    for (const id of ids.slice(0, 500)) replica.board.deleteTask(id)
    replica.edit((b) => { b.editTask(ids[600], { title: 'renamed' }) })
    const started = performance.now()
    await replica.flush()
    expect(performance.now() - started).toBeLessThan(5000)
    expect(await countUpdates(log, space)).toBe(2)

    // The window's timer sends later edits by itself; the entry carries the window's deletions
    // only, not the 500 ranges deleted before.
    replica.board.comment(ids[700], 'hi')
    replica.board.deleteTask(ids[701])
    await eventually(async () => (await countUpdates(log, space)) === 3, 5_000, 'the window\'s timer to send the later edits')
    const head = await log.get(space, alice.id, log.head(space, alice.id)?.seq ?? 0)
    const update = (head?.entry.body as { update: Uint8Array }).update
    expect(update.byteLength).toBeLessThan(400)
    expect(checkUpdate(update).deleteRanges).toBeLessThanOrEqual(2)
    expect(events).toContain('change')
    expect(events).not.toContain('error')

    const other = await boardLog()
    await deliver(log, other, space, prng(5))
    const copy = new BoardReplica({ log: other, space })
    await copy.start()
    expect(copy.board.tasks()).toHaveLength(1499)
    expect(canonical(copy.doc.toJSON())).toBe(canonical(replica.doc.toJSON()))
    expect(() => { copy.edit(() => {}) }).toThrow(expect.objectContaining({ name: 'ReadOnlyBoardError' }))
    for (const r of [replica, copy]) await r.stop()
    await log.stop()
    await other.stop()
  })

  it('keeps edits that could not be written for the next window', async () => {
    const [alice, bob] = await identities(2)
    const a = await boardLog()
    const b = await boardLog()
    const space = await createBoard(a, alice, { name: 'B' })
    await deliver(a, b, space, prng(6))
    const writer = new BoardReplica({ log: b, space, identity: bob, batchMs: 10_000 })
    await writer.start()
    const errors: string[] = []
    writer.subscribe((e) => { if (e.type === 'error') errors.push(e.error.name) })
    const id = writer.board.addTask({ title: 'early' })
    await expect(writer.flush()).rejects.toMatchObject({ name: 'UnauthorizedError' })
    expect(errors).toEqual(['UnauthorizedError'])

    const owner = new BoardReplica({ log: a, space, identity: alice })
    await owner.start()
    await owner.grant(bob.id)
    await deliver(a, b, space, prng(7))
    writer.board.editTask(id, { estimate: 2 })
    await writer.flush()
    await deliver(b, a, space, prng(8))
    expect(owner.board.task(id)).toMatchObject({ title: 'early', estimate: 2 })
    for (const r of [owner, writer]) await r.stop()
    await a.stop()
    await b.stop()
  })

  it('resolves claims, workload and history from entries', async () => {
    const [alice, bob] = await identities(2)
    const log = await boardLog()
    const space = await createBoard(log, alice, { name: 'B', writers: [bob.id] })
    const a = new BoardReplica({ log, space, identity: alice, batchMs: 10_000 })
    const b = new BoardReplica({ log, space, identity: bob, batchMs: 10_000 })
    await a.start()
    await b.start()
    const x = a.board.addTask({ title: 'x', estimate: 3 })
    const y = a.board.addTask({ title: 'y', estimate: 5 })
    await a.flush()
    await a.claim(x)
    await b.claim(x)
    await b.claim(y)
    expect(a.claims().get(x)).toMatchObject({ holder: alice.id, contested: true })
    expect(b.workload()).toEqual(new Map([[alice.id, 3], [bob.id, 5]].sort((p, q) => (p[0] < q[0] ? -1 : 1)) as Array<[string, number]>))
    await a.release(x)
    expect(b.claims().get(x)).toMatchObject({ holder: bob.id, contested: false })
    await expect(a.claim('ghost')).rejects.toMatchObject({ name: 'UnknownTaskError' })

    b.edit((board) => {
      board.editTask(x, { title: 'x2', description: 'more' })
      board.moveTask(x, { status: 'doing' })
    })
    await b.flush()
    a.board.comment(x, 'nice')
    a.board.depend(x, y)
    await a.flush()
    const history = await a.history(x)
    expect(history.map((h) => [h.author === alice.id ? 'alice' : 'bob', h.type, h.changes.sort()])).toEqual([
      ['alice', 'board/update', ['created']],
      ['alice', 'task/claim', ['claimed']],
      ['bob', 'task/claim', ['claimed']],
      ['alice', 'task/release', ['released']],
      ['bob', 'board/update', ['description', 'rank', 'status', 'title']],
      ['alice', 'board/update', ['comment added', 'dependency added']]
    ])
    expect(history[4].status).toEqual({ from: 'todo', to: 'doing' })
    for (const h of history) expect(h.entry).toMatch(/^b/)
    for (const r of [a, b]) await r.stop()
    await log.stop()
  })

  it('restarts from its snapshot without applying the entries it holds again', async () => {
    const dir = await tempDir()
    const [alice, bob] = await identities(2)
    let log = await boardLog(levelStore({ path: dir }))
    const space = await createBoard(log, alice, { name: 'Persisted', writers: [bob.id] })
    let replica = new BoardReplica({ log, space, identity: alice, batchMs: 10_000 })
    await replica.start()
    const ids: string[] = []
    for (let round = 0; round < 5; round++) {
      replica.edit((b) => { for (let i = 0; i < 10; i++) ids.push(b.addTask({ title: `r${round} t${i}`, estimate: i })) })
      await replica.flush()
    }
    replica.board.moveTask(ids[3], { status: 'doing' })
    await replica.claim(ids[3])
    const json = canonical(replica.doc.toJSON())
    const vector = Y.encodeStateVector(replica.doc)
    expect(replica.applied).toBe(6)
    await replica.stop()
    expect(await log.getMeta(snapshotKey(space))).toBeInstanceOf(Uint8Array)
    await log.stop()

    log = await boardLog(levelStore({ path: dir }))
    replica = new BoardReplica({ log, space, identity: alice })
    await replica.start()
    expect(replica.applied).toBe(0)
    expect(canonical(replica.doc.toJSON())).toBe(json)
    expect(Y.encodeStateVector(replica.doc)).toEqual(vector)
    expect(replica.claims().get(ids[3])?.holder).toBe(alice.id)
    expect(replica.workload()).toEqual(new Map([[alice.id, 3]]))
    await replica.stop()

    // Entries that arrive while no replica runs are the only ones applied at the next start.
    const elsewhere = await boardLog()
    await deliver(log, elsewhere, space, prng(9))
    const remote = new BoardReplica({ log: elsewhere, space, identity: bob, batchMs: 10_000 })
    await remote.start()
    remote.board.editTask(ids[0], { title: 'edited elsewhere' })
    await remote.flush()
    remote.board.comment(ids[0], 'and commented')
    await remote.flush()
    await deliver(elsewhere, log, space, prng(10))
    replica = new BoardReplica({ log, space, identity: alice })
    await replica.start()
    expect(replica.applied).toBe(2)
    expect(replica.board.task(ids[0])).toMatchObject({ title: 'edited elsewhere', comments: [expect.objectContaining({ text: 'and commented' })] })
    expect(canonical(replica.doc.toJSON())).toBe(canonical(remote.doc.toJSON()))
    for (const r of [replica, remote]) await r.stop()
    await log.stop()
    await elsewhere.stop()
  })

  it('writes a snapshot every N applied updates', async () => {
    const [alice] = await identities(1)
    const log = await boardLog()
    const space = await createBoard(log, alice, { name: 'B' })
    const replica = new BoardReplica({ log, space, identity: alice, batchMs: 10_000, snapshotEvery: 5, snapshotIdleMs: 600_000 })
    await replica.start()
    expect(await log.getMeta(snapshotKey(space))).toBeUndefined()
    for (let i = 0; i < 4; i++) {
      replica.board.addTask({ title: `t${i}` })
      await replica.flush()
    }
    // The fifth update (the board's first plus four) triggers a snapshot without being asked.
    await vi.waitFor(async () => { expect(await log.getMeta(snapshotKey(space))).toBeInstanceOf(Uint8Array) })
    await replica.stop()
    await log.stop()
  })

  it('ignores its snapshot at start when a fork arrived meanwhile and cut entries the snapshot counts', async () => {
    const [alice, bob] = await identities(2)
    const a = await boardLog()
    const b = await boardLog()
    const space = await createBoard(a, alice, { name: 'B', writers: [bob.id] })
    await deliver(a, b, space, prng(12))
    let replica = new BoardReplica({ log: a, space, identity: alice })
    await replica.start()
    await a.append(bob, space, 'board/update', { update: edit('x') })
    await vi.waitFor(() => { expect(replica.board.task('x')?.title).toBe('x') })
    await replica.stop() // writes a snapshot that counts Bob's entry
    const snapshot = await a.getMeta(snapshotKey(space))
    expect(snapshot).toBeInstanceOf(Uint8Array)

    // While no replica runs, Bob's other entry at the same seq arrives: his log is cut at 0.
    const other = await b.append(bob, space, 'board/update', { update: edit('y') })
    expect((await a.ingest(other.bytes)).status).toBe('fork')
    expect(await a.getMeta(snapshotKey(space))).toEqual(snapshot)

    replica = new BoardReplica({ log: a, space, identity: alice })
    await replica.start()
    expect(replica.board.task('x')).toBeUndefined()
    expect(replica.board.task('y')).toBeUndefined()
    expect(replica.board.name()).toBe('B')
    expect(replica.vector()[bob.id]).toBeUndefined()
    await replica.stop()
    await a.stop()
    await b.stop()
  })

  it('writes a snapshot once the board is quiet, so a replica that never stopped cleanly restarts from it', async () => {
    const dir = await tempDir()
    const [alice] = await identities(1)
    let log = await boardLog(levelStore({ path: dir }))
    const space = await createBoard(log, alice, { name: 'Killed' })
    const replica = new BoardReplica({ log, space, identity: alice, batchMs: 10_000, snapshotEvery: 10_000, snapshotIdleMs: 50 })
    await replica.start()
    for (let i = 0; i < 20; i++) {
      replica.board.addTask({ title: `t${i}` })
      await replica.flush()
    }
    const json = canonical(replica.doc.toJSON())
    await vi.waitFor(async () => {
      const stored = await log.getMeta(snapshotKey(space))
      expect(stored).toBeInstanceOf(Uint8Array)
      // the snapshot counts all 21 updates (the board's first and 20 tasks)
      const restarted = new BoardReplica({ log, space })
      await restarted.start()
      expect(restarted.applied).toBe(0)
      await restarted.stop()
    }, { timeout: 5_000, interval: 50 })
    // No replica.stop(): the process "dies" here, with only what reached the store.
    await log.stop()
    log = await boardLog(levelStore({ path: dir }))
    const after = new BoardReplica({ log, space })
    await after.start()
    expect(after.applied).toBe(0)
    expect(canonical(after.doc.toJSON())).toBe(json)
    await after.stop()
    await log.stop()
  })

  it('replays the log when a writer\'s fork cuts entries it had applied', async () => {
    const [alice, bob] = await identities(2)
    const a = await boardLog()
    const b = await boardLog()
    const space = await createBoard(a, alice, { name: 'B', writers: [bob.id] })
    await deliver(a, b, space, prng(11))
    const replica = new BoardReplica({ log: a, space, identity: alice })
    await replica.start()
    const events: string[] = []
    replica.subscribe((e) => { events.push(e.type) })

    // Bob signs two different entries at seq 1: one on each log.
    await a.append(bob, space, 'board/update', { update: edit('x') })
    const other = await b.append(bob, space, 'board/update', { update: edit('y') })
    expect(replica.board.task('x')?.title).toBe('x')

    expect((await a.ingest(other.bytes)).status).toBe('fork')
    await vi.waitFor(() => { expect(events).toContain('rebuilt') })
    expect(replica.board.task('x')).toBeUndefined()
    expect(replica.board.task('y')).toBeUndefined()
    expect(replica.board.name()).toBe('B')
    expect(replica.vector()[bob.id]).toBeUndefined()
    await replica.stop()
    await a.stop()
    await b.stop()
  })
})
