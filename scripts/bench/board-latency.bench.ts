/**
 * board-latency: how long a task change made on one node takes to show on N subscriber nodes —
 * Mutual (signed board/update entries gossiped between N + 1 libp2p nodes, validated and applied
 * by each board replica) beside what a team would otherwise run: a central y-websocket relay
 * server (its own process) with N + 1 clients, on the same machine in the same run. The two run
 * in alternating rounds (each round sets its network up afresh), so load from other processes
 * falls on both alike. The ratio is the median of the rounds' p50s over the relay's; p99 is over
 * every change of every round.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'
import type { GossipSub } from '@libp2p/gossipsub'
import { RecordRegistry, baseRecordTypes, generateIdentity } from '@mutual/protocol'
import { Log, memoryStore } from '@mutual/log'
import { createMutualNode, topicOf, type MutualNode } from '@mutual/node'
import { BoardReplica, boardAuthorizer, boardRecordTypes, createBoard } from '@mutual/board'
import { compare, percentile, result, rounds, type BenchResult } from './lib.ts'

const SUBSCRIBERS = Number(process.env.BOARD_SUBSCRIBERS ?? 10)
const CHANGES = Number(process.env.BOARD_CHANGES ?? 60)
const ROUNDS = rounds(3)
/** changes per round */
const PER_ROUND = Math.max(1, Math.round(CHANGES / ROUNDS))
const SPACING_MS = 100

const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

async function until (check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}

interface Measured { latencies: number[], expected: number }

async function mutual (): Promise<Measured> {
  const identities = await Promise.all(Array.from({ length: SUBSCRIBERS + 1 }, async () => await generateIdentity()))
  const logs = identities.map(() => new Log({
    store: memoryStore(), registry: new RecordRegistry([...baseRecordTypes(), ...boardRecordTypes()]), authorizers: [boardAuthorizer()]
  }))
  for (const l of logs) await l.start()
  const space = await createBoard(logs[0], identities[0], { name: 'latency' })
  const nodes: MutualNode[] = identities.map((identity, i) => createMutualNode({
    identity, log: logs[i], listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, dht: false, syncIntervalMs: 0
  }))
  for (const n of nodes) await n.start()
  for (const n of nodes) await n.join(space)
  // Each subscriber dials the editor and two others: a connected mesh, as a team's nodes would be.
  for (let i = 1; i < nodes.length; i++) {
    await nodes[i].connect(nodes[0].addresses()[0])
    if (i > 1) await nodes[i].connect(nodes[1 + ((i * 7) % (i - 1))].addresses()[0])
  }
  await until(() => logs.every((l) => l.genesis(space) !== undefined && Object.keys(l.vector(space)).length > 0), 20_000, 'board to spread')
  await until(() => nodes.every((n) => ((n.libp2p.services.pubsub as GossipSub & { getMeshPeers: (t: string) => string[] }).getMeshPeers(topicOf(space))).length >= 1), 20_000, 'mesh')
  const replicas = logs.map((log, i) => new BoardReplica({ log, space, identity: i === 0 ? identities[0] : undefined }))
  for (const r of replicas) await r.start()
  await until(() => replicas.every((r) => r.board.workflow().states.length > 0), 10_000, 'replicas')
  let task = ''
  replicas[0].edit((b) => { task = b.addTask({ title: 'the task' }) })
  await until(() => replicas.every((r) => r.board.task(task) !== undefined), 10_000, 'task')

  const latencies: number[] = []
  let sentAt = 0
  let want = ''
  for (const r of replicas.slice(1)) {
    r.subscribe((e) => {
      if (e.type === 'change' && r.board.task(task)?.title === want) latencies.push(performance.now() - sentAt)
    })
  }
  for (let i = 0; i < PER_ROUND; i++) {
    want = `title ${i}`
    const before = latencies.length
    sentAt = performance.now()
    replicas[0].edit((b) => { b.editTask(task, { title: want }) })
    const deadline = Date.now() + 3000
    while (latencies.length < before + SUBSCRIBERS && Date.now() < deadline) await sleep(1)
    await sleep(SPACING_MS)
  }
  for (const r of replicas) await r.stop()
  for (const n of nodes) await n.stop()
  for (const l of logs) await l.stop()
  return { latencies, expected: PER_ROUND * SUBSCRIBERS }
}

async function relay (): Promise<Measured> {
  const require = createRequire(import.meta.url)
  // The package's own server script (not in its exports map): y-websocket's reference relay.
  const server = join(dirname(require.resolve('y-websocket/package.json')), 'bin/server.cjs')
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  const child: ChildProcess = spawn(process.execPath, [server], { env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve) => { child.stdout?.once('data', () => { resolve() }) })
  const docs = Array.from({ length: SUBSCRIBERS + 1 }, () => new Y.Doc())
  const providers = docs.map((doc) => new WebsocketProvider(`ws://127.0.0.1:${port}`, 'board', doc, { WebSocketPolyfill: WebSocket as any, disableBc: true }))
  await until(() => providers.every((p) => p.synced), 10_000, 'clients to sync')
  const tasks = docs.map((d) => d.getMap<Y.Map<unknown>>('tasks'))
  docs[0].transact(() => {
    const t = new Y.Map<unknown>()
    tasks[0].set('t1', t)
    t.set('title', 'the task')
    t.set('description', new Y.Text('what it is'))
  })
  await until(() => tasks.every((m) => m.get('t1') !== undefined), 10_000, 'task')

  const latencies: number[] = []
  let sentAt = 0
  let want = ''
  for (const doc of docs.slice(1)) {
    const map = doc.getMap<Y.Map<unknown>>('tasks')
    doc.on('update', () => { if (map.get('t1')?.get('title') === want) latencies.push(performance.now() - sentAt) })
  }
  for (let i = 0; i < PER_ROUND; i++) {
    want = `title ${i}`
    const before = latencies.length
    sentAt = performance.now()
    tasks[0].get('t1')?.set('title', want)
    const deadline = Date.now() + 3000
    while (latencies.length < before + SUBSCRIBERS && Date.now() < deadline) await sleep(1)
    await sleep(SPACING_MS)
  }
  // A provider leaves its awareness (and the awareness's timer) to the document: destroy both.
  for (const p of providers) p.destroy()
  for (const d of docs) d.destroy()
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
  return { latencies, expected: PER_ROUND * SUBSCRIBERS }
}

export default async function boardLatency (): Promise<BenchResult[]> {
  const ours: Measured[] = []
  const theirs: Measured[] = []
  const p50 = (m: Measured): number => percentile(m.latencies, 50)
  const samples = await compare({
    rounds: ROUNDS,
    warmup: false,
    baseline: async () => { theirs.push(await relay()); return p50(theirs.at(-1)!) },
    measured: { mutual: async () => { ours.push(await mutual()); return p50(ours.at(-1)!) } }
  })
  const all = (ms: Measured[]): number[] => ms.flatMap((m) => m.latencies)
  const delivered = (ms: Measured[]): number => all(ms).length / ms.reduce((n, m) => n + m.expected, 0)
  const p99 = { value: percentile(all(ours), 99), baseline: percentile(all(theirs), 99) }
  const params = {
    subscribers: SUBSCRIBERS,
    changes: PER_ROUND * ROUNDS,
    rounds: ROUNDS,
    delivered: delivered(ours),
    relayDelivered: delivered(theirs)
  }
  const baselineName = `central y-websocket relay server with ${SUBSCRIBERS + 1} clients`
  return [
    result({ name: 'board-latency', unit: 'ms (p50)', baselineName, baselineUnit: 'ms (p50)', goal: '<= 1.5', params, values: samples.measured.mutual, baselines: samples.baseline }),
    { name: 'board-latency-p99', unit: 'ms (p99)', value: p99.value, baseline: p99.baseline, baselineName, baselineUnit: 'ms (p99)', ratio: p99.value / p99.baseline, params }
  ]
}
