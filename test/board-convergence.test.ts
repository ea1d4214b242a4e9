import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { RecordRegistry, baseRecordTypes, generateIdentity, type Identity } from '@mutual/protocol'
import { Log, memoryStore, vectorsEqual } from '@mutual/log'
import { createMutualNode, type MutualNode } from '@mutual/node'
import { prng } from '../scripts/chaos/faults.ts'
import { BoardReplica, boardAuthorizer, boardRecordTypes, createBoard } from '@mutual/board'
import { eventually } from './support/poll.js'

/**
 * Convergence of boards over real libp2p nodes (TCP on loopback): seeded random operations on
 * five replicas while connections drop and come back; afterwards every replica holds the same
 * document and the same claim winners.
 */

interface Replica { identity: Identity, log: Log, node: MutualNode, board: BoardReplica }
const replicas: Replica[] = []
afterEach(async () => {
  for (const r of replicas.splice(0)) {
    await r.board.stop()
    await r.node.stop()
    await r.log.stop()
  }
})


async function peer (identity: Identity): Promise<Omit<Replica, 'board'>> {
  const log = new Log({
    store: memoryStore(),
    registry: new RecordRegistry([...baseRecordTypes(), ...boardRecordTypes()]),
    authorizers: [boardAuthorizer()]
  })
  await log.start()
  const node = createMutualNode({ identity, log, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, dht: false, syncIntervalMs: 1000, exemptLoopback: true })
  await node.start()
  return { identity, log, node }
}


const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

async function run (seed: number, steps: number): Promise<void> {
  const random = prng(seed)
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]
  const identities = await Promise.all(Array.from({ length: 5 }, async () => await generateIdentity()))
  const peers = await Promise.all(identities.map(async (id) => await peer(id)))
  const space = await createBoard(peers[0].log, identities[0], { name: `seed ${seed}`, writers: identities.slice(1).map((i) => i.id) })
  for (const p of peers) await p.node.join(space)
  const connectAll = async (): Promise<void> => {
    for (let i = 0; i < peers.length; i++) {
      for (let j = i + 1; j < peers.length; j++) {
        if (peers[i].node.peers().some((x) => x.id === peers[j].identity.id)) continue
        await peers[i].node.connect(peers[j].node.addresses()[0])
      }
    }
  }
  await connectAll()
  await eventually(() => peers.every((p) => p.log.genesis(space) !== undefined && Object.keys(p.log.vector(space)).length > 0), 10_000, 'the board to reach everyone')
  for (const p of peers) {
    const board = new BoardReplica({ log: p.log, space, identity: p.identity, batchMs: 20 })
    await board.start()
    replicas.push({ ...p, board })
  }
  await eventually(() => replicas.every((r) => r.board.board.workflow().states.length > 0), 10_000, 'the workflow to arrive')

  for (let step = 0; step < steps; step++) {
    const r = pick(replicas)
    const tasks = r.board.board.tasks()
    const op = random()
    try {
      if (op < 0.08) {
        // A random connection drops; another comes back.
        const [a, b] = [pick(replicas), pick(replicas)]
        if (a !== b) await a.node.libp2p.hangUp(b.node.libp2p.peerId)
        const [c, d] = [pick(replicas), pick(replicas)]
        if (c !== d) await c.node.connect(d.node.addresses()[0]).catch(() => {})
      } else if (op < 0.30 || tasks.length === 0) {
        r.board.edit((b) => { b.addTask({ title: `task ${seed}-${step}`, estimate: 1 + Math.floor(random() * 8) }) })
      } else {
        const task = pick(tasks)
        if (op < 0.42) r.board.edit((b) => { b.editTask(task.id, { title: `${task.title}'`, description: `edited at ${step}` }) })
        else if (op < 0.56) {
          const states = r.board.board.workflow().states.map((s) => s.id)
          const other = pick(tasks)
          r.board.edit((b) => { b.moveTask(task.id, { status: pick(states), ...(other.id !== task.id ? { before: other.id } : {}) }) })
        } else if (op < 0.66) await r.board.claim(task.id)
        else if (op < 0.72) await r.board.release(task.id)
        else if (op < 0.84) r.board.edit((b) => { b.comment(task.id, `comment ${step}`) })
        else if (op < 0.92) r.board.edit((b) => { b.depend(task.id, pick(tasks).id) })
        else r.board.edit((b) => { b.deleteTask(task.id) })
      }
    } catch (err) {
      // The model refuses some random moves (a forbidden transition, a cycle, a WIP limit): fine.
      const name = (err as Error).name
      if (!['TransitionError', 'WipLimitError', 'BlockedTaskError', 'DependencyCycleError', 'UnknownTaskError', 'InvalidTaskError'].includes(name)) throw err
    }
    if (random() < 0.3) await sleep(5)
  }

  for (const r of replicas) await r.board.flush()
  await connectAll()
  await eventually(() => replicas.every((r) => vectorsEqual(r.log.vector(space), replicas[0].log.vector(space))), 30_000, 'the logs to converge')
  await eventually(() => replicas.every((r) => vectorsEqual(r.board.vector(), r.log.vector(space))), 10_000, 'every board to apply its log')

  const reference = replicas[0]
  const json = (r: Replica): unknown => r.board.doc.toJSON()
  for (const r of replicas.slice(1)) {
    expect(Y.encodeStateVector(r.board.doc)).toEqual(Y.encodeStateVector(reference.board.doc))
    expect(json(r)).toEqual(json(reference))
    expect(r.board.board.tasks()).toEqual(reference.board.board.tasks())
    expect([...r.board.claims()]).toEqual([...reference.board.claims()])
  }
  expect(reference.board.board.tasks().length).toBeGreaterThan(0)
}

describe('board convergence over libp2p', () => {
  for (const seed of [1, 2, 3]) {
    it(`five replicas converge after random operations and disconnects (seed ${seed})`, async () => {
      await run(seed, 200)
    }, 120_000)
  }
})
