import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { RecordRegistry, baseRecordTypes, generateIdentity, type Identity } from '@mutual/protocol'
import { Log, memoryStore, vectorsEqual } from '@mutual/log'
import { createMutualNode, type MutualNode } from '@mutual/node'
import { BoardReplica, boardAuthorizer, boardRecordTypes, createBoard } from '@mutual/board'
import { eventually } from './support/poll.js'

/**
 * Offline edits: two nodes over real libp2p (TCP on loopback) edit the same task while one of
 * them is off the network (its node stopped, its replica restarted from its snapshot), then
 * reconnect: both hold the same task, and its history names both authors.
 */

interface Peer { identity: Identity, log: Log, node: MutualNode, board?: BoardReplica }
const peers: Peer[] = []
afterEach(async () => {
  for (const p of peers.splice(0)) {
    await p.board?.stop()
    await p.node.stop()
    await p.log.stop()
  }
})

async function peer (): Promise<Peer> {
  const identity = await generateIdentity()
  const log = new Log({ store: memoryStore(), registry: new RecordRegistry([...baseRecordTypes(), ...boardRecordTypes()]), authorizers: [boardAuthorizer()] })
  await log.start()
  const node = createMutualNode({ identity, log, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, dht: false, syncIntervalMs: 0 })
  await node.start()
  const p = { identity, log, node }
  peers.push(p)
  return p
}


async function replica (p: Peer, space: string): Promise<BoardReplica> {
  const board = new BoardReplica({ log: p.log, space, identity: p.identity, batchMs: 20 })
  await board.start()
  p.board = board
  return board
}

describe('offline edits', () => {
  it('two nodes edit one task apart, reconnect, and hold the same task with both authors in its history', async () => {
    const [a, b] = [await peer(), await peer()]
    const space = await createBoard(a.log, a.identity, { name: 'Offline' })
    const boardA = await replica(a, space)
    await boardA.grant(b.identity.id)
    const task = boardA.board.addTask({ title: 'Draft the plan', estimate: 2 })
    await boardA.flush()

    await b.node.join(space)
    await b.node.connect(a.node.addresses()[0])
    await eventually(() => b.log.genesis(space) !== undefined && vectorsEqual(b.log.vector(space), a.log.vector(space)), 10_000, 'the board to reach b')
    let boardB = await replica(b, space)
    expect(boardB.board.task(task)?.title).toBe('Draft the plan')

    // B goes offline: its node stops; both keep editing the same task.
    await b.node.stop()
    await eventually(() => a.node.peers().length === 0, 10_000, 'a to see b gone')
    boardA.edit((board) => {
      board.editTask(task, { title: 'Draft the plan (A)', labels: ['planning'] })
      board.moveTask(task, { status: 'doing' })
      board.comment(task, 'A: outline done')
    })
    await boardA.flush()
    const claimA = await boardA.claim(task)

    boardB.edit((board) => {
      board.editTask(task, { description: 'written offline by B', estimate: 5 })
      board.comment(task, 'B: numbers added')
    })
    await boardB.flush()
    const claimB = await boardB.claim(task)
    // B's replica restarts while offline: it comes back from its snapshot with its edits.
    await boardB.stop()
    boardB = await replica(b, space)
    expect(boardB.board.task(task)).toMatchObject({ description: 'written offline by B', estimate: 5, title: 'Draft the plan' })
    boardB.edit((board) => { board.editTask(task, { due: '2026-12-24' }) })
    await boardB.flush()

    expect(vectorsEqual(a.log.vector(space), b.log.vector(space))).toBe(false)

    // Back online.
    await b.node.start()
    await b.node.join(space)
    await b.node.connect(a.node.addresses()[0])
    await eventually(() => vectorsEqual(a.log.vector(space), b.log.vector(space)), 15_000, 'the logs to converge')
    await eventually(() => vectorsEqual(boardA.vector(), a.log.vector(space)) && vectorsEqual(boardB.vector(), b.log.vector(space)), 10_000, 'both replicas to apply their logs')

    const [ta, tb] = [boardA.board.task(task), boardB.board.task(task)]
    expect(tb).toEqual(ta)
    expect(ta).toMatchObject({
      title: 'Draft the plan (A)', description: 'written offline by B', estimate: 5, labels: ['planning'], status: 'doing', due: '2026-12-24'
    })
    expect(ta?.comments.map((c) => c.text).sort()).toEqual(['A: outline done', 'B: numbers added'])
    expect(Y.encodeStateVector(boardB.doc)).toEqual(Y.encodeStateVector(boardA.doc))
    expect([...boardB.claims()]).toEqual([...boardA.claims()])
    // Both claimed apart: contested, and the earliest claim wins on both nodes. A claimed first on
    // the same machine clock, so its stamp is the earlier one.
    const [tsA, tsB] = [claimA.entry.ts, claimB.entry.ts]
    expect(tsA[0] < tsB[0] || (tsA[0] === tsB[0] && tsA[1] < tsB[1]), `A's claim ${tsA.join('.')} before B's ${tsB.join('.')}`).toBe(true)
    expect(boardA.claims().get(task)).toMatchObject({
      holder: a.identity.id,
      contested: true,
      claimants: [{ author: a.identity.id, entry: claimA.id.toString() }, { author: b.identity.id, entry: claimB.id.toString() }]
    })

    for (const board of [boardA, boardB]) {
      const history = await board.history(task)
      const authors = new Set(history.map((h) => h.author))
      expect(authors).toEqual(new Set([a.identity.id, b.identity.id]))
      const by = (change: string): string[] => history.filter((h) => h.changes.includes(change)).map((h) => h.author)
      expect(by('title')).toContain(a.identity.id)
      expect(by('description')).toContain(b.identity.id)
      expect(by('due')).toEqual([b.identity.id])
      expect(by('claimed').sort()).toEqual([a.identity.id, b.identity.id].sort())
    }
    expect(await boardB.history(task)).toEqual(await boardA.history(task))
  }, 60_000)
})
