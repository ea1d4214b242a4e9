/**
 * board-join: a node joins a 10,000-task board cold — sync of every signed entry over TCP on
 * loopback, validation, storage, and the board built from the updates — until its document is
 * identical to the source's; beside raw Yjs moving the same document in the same run
 * (`Y.encodeStateAsUpdate` on the source, `Y.applyUpdate` into a fresh document: no network, no
 * signatures, no history).
 */
import * as Y from 'yjs'
import { RecordRegistry, baseRecordTypes, bytesEqual, generateIdentity } from '@mutual/protocol'
import { Log, memoryStore } from '@mutual/log'
import { createMutualNode } from '@mutual/node'
import { BoardReplica, boardAuthorizer, boardRecordTypes, createBoard } from '@mutual/board'
import { compare, result, rounds, type BenchResult } from './lib.ts'

const TASKS = Number(process.env.BOARD_TASKS ?? 10_000)
/** tasks per board/update entry while building: people add tasks a few at a time */
const PER_ENTRY = Number(process.env.BOARD_TASKS_PER_ENTRY ?? 10)

const newLog = (): Log => new Log({
  store: memoryStore(),
  registry: new RecordRegistry([...baseRecordTypes(), ...boardRecordTypes()]),
  authorizers: [boardAuthorizer()]
})

const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

export default async function boardJoin (): Promise<BenchResult[]> {
  const owner = await generateIdentity()
  const source = newLog()
  await source.start()
  const space = await createBoard(source, owner, { name: 'big board' })
  const replica = new BoardReplica({ log: source, space, identity: owner, batchMs: 1_000_000 })
  await replica.start()
  for (let i = 0; i < TASKS; i += PER_ENTRY) {
    replica.edit((b) => {
      for (let k = i; k < Math.min(TASKS, i + PER_ENTRY); k++) b.addTask({ title: `task ${k}`, description: `what task ${k} is about`, estimate: 1 + (k % 8), labels: ['bench'] })
    })
    await replica.flush()
  }
  const entries = Object.values(source.vector(space)).reduce((n, v) => n + v.seq, 0)
  const sourceNode = createMutualNode({ identity: owner, log: source, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, dht: false, syncIntervalMs: 0 })
  await sourceNode.start()
  const address = sourceNode.addresses()[0]
  const target = Y.encodeStateVector(replica.doc)
  console.log(`${TASKS} tasks in ${entries} entries (${PER_ENTRY} tasks per entry)`)

  const join = async (): Promise<number> => {
    const log = newLog()
    await log.start()
    const node = createMutualNode({ identity: await generateIdentity(), log, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, dht: false, syncIntervalMs: 0 })
    await node.start()
    const start = performance.now()
    await node.join(space)
    await node.syncWith(await node.connect(address))
    const board = new BoardReplica({ log, space })
    await board.start()
    while (!bytesEqual(Y.encodeStateVector(board.doc), target)) await sleep(1)
    const ms = performance.now() - start
    if (board.board.tasks().length !== TASKS) throw new Error('join incomplete')
    await board.stop()
    await node.stop()
    await log.stop()
    return ms
  }

  const raw = async (): Promise<number> => {
    const start = performance.now()
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(replica.doc))
    const ms = performance.now() - start
    doc.destroy()
    return ms
  }

  const { baseline, measured } = await compare({ rounds: rounds(3), baseline: raw, measured: { join } })
  await sourceNode.stop()
  await replica.stop()
  await source.stop()
  return [result({
    name: 'board-join',
    unit: 'ms',
    values: measured.join,
    baselines: baseline,
    baselineName: 'raw Yjs encodeStateAsUpdate + applyUpdate of the same document',
    baselineUnit: 'ms',
    goal: '<= 3',
    params: { tasks: TASKS, entries, tasksPerEntry: PER_ENTRY }
  })]
}
