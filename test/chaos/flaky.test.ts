import { afterEach, describe, expect, it } from 'vitest'
import { RecordRegistry, baseRecordTypes } from '@mutual/protocol'
import { BoardReplica, boardAuthorizer, boardRecordTypes, createBoard, type Task } from '@mutual/board'
import { startCluster, until, type Cluster } from '../../scripts/chaos/cluster.ts'
import { flakyGossip, prng } from '../../scripts/chaos/faults.ts'

let cluster: Cluster | undefined
const replicas: BoardReplica[] = []
afterEach(async () => {
  for (const r of replicas.splice(0)) await r.stop()
  await cluster?.stop()
})

/** What a user sees of a board: its tasks by id, every field, keys in one order. */
function boardState (replica: BoardReplica): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted)
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a < b ? -1 : 1).map(([k, v]) => [k, sorted(v)]))
    return value
  }
  return JSON.stringify(sorted([...replica.board.tasks()].sort((a: Task, b: Task) => a.id < b.id ? -1 : 1)))
}

/** Refusals a random operation may meet on a board that moved under it; anything else is a failure. */
const EXPECTED = new Set(['UnknownTaskError', 'TransitionError', 'WipLimitError'])

describe('chaos: flaky links', () => {
  it('four board replicas converge under random operations while gossip drops, delays and reorders frames and links break', async () => {
    const random = prng(20261201)
    cluster = await startCluster({
      size: 4,
      // Anti-entropy is what repairs a dropped frame nothing follows; 1 s keeps the test short.
      node: { syncIntervalMs: 1_000 },
      log: () => ({ registry: new RecordRegistry([...baseRecordTypes(), ...boardRecordTypes()]), authorizers: [boardAuthorizer()] })
    })
    const { nodes } = cluster
    const board = await createBoard(nodes[0].log, nodes[0].identity, { name: 'flaky', writers: nodes.slice(1).map((n) => n.identity.id) })
    for (const n of nodes) await n.node.join(board)
    const ring = async (): Promise<void> => {
      for (let i = 0; i < nodes.length; i++) await cluster!.connect(i, (i + 1) % nodes.length).catch(() => {})
    }
    await ring()
    await cluster.waitConverged(board, 10_000)
    for (const n of nodes) {
      const replica = new BoardReplica({ log: n.log, space: board, identity: n.identity, batchMs: 20 })
      await replica.start()
      replicas.push(replica)
    }
    const flaky = nodes.map((n) => flakyGossip(n.node, board, { random, drop: 0.2, maxDelayMs: 80 }))

    let breaks = 0
    for (let step = 0; step < 200; step++) {
      const replica = replicas[Math.floor(random() * replicas.length)]
      const tasks = replica.board.tasks()
      const task = tasks.length === 0 ? undefined : tasks[Math.floor(random() * tasks.length)]
      const op = random()
      try {
        if (task === undefined || op < 0.35) replica.board.addTask({ title: `task ${step}`, estimate: Math.floor(random() * 8) })
        else if (op < 0.55) replica.board.editTask(task.id, { title: `${task.title} / ${step}` })
        else if (op < 0.75) replica.board.moveTask(task.id, { status: ['todo', 'doing', 'review', 'done'][Math.floor(random() * 4)] })
        else if (op < 0.9) replica.board.comment(task.id, `comment ${step}`)
        else replica.board.deleteTask(task.id)
      } catch (err) {
        if (!EXPECTED.has((err as Error).name)) throw err
      }
      if (random() < 0.03) {
        // A link breaks, and comes back a moment later.
        const n = nodes[Math.floor(random() * nodes.length)]
        const conn = n.node.libp2p.getConnections()[0]
        if (conn !== undefined) {
          breaks++
          await conn.close()
        }
      }
      if (step % 40 === 39) await ring()
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    for (const r of replicas) await r.flush()
    for (const f of flaky) f.restore()
    await ring()

    await cluster.waitConverged(board, 30_000)
    const states = (): string[] => replicas.map(boardState)
    await until(() => new Set(states()).size === 1, 10_000, 'every replica to show the same board')
    expect(breaks).toBeGreaterThan(0)
    expect(flaky.reduce((n, f) => n + f.dropped(), 0)).toBeGreaterThan(20)
    expect(replicas[0].board.tasks().length).toBeGreaterThan(10)
    expect(new Set(states()).size).toBe(1)
  }, 90_000)
})
