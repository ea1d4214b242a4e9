/**
 * daemon-start: time from spawning `mutual daemon` to its ready line, on a data directory holding
 * a board of 10,000 tasks and 100,000 entries in all (the board's 1,001 and notes in four other
 * spaces), and on an empty one. Baseline in the same run, rounds interleaved: a process that
 * starts a bare libp2p node (TCP, Noise, Yamux, identify, gossipsub: the transports and the
 * pubsub Mutual's node is built on, none of Mutual) and prints a line once it listens. Both
 * include Node.js's own start and module loading, as a user's start does.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { boardHome } from './fixtures.ts'
import { compare, result, root, rounds, tempDir, type BenchResult } from './lib.ts'

const TASKS = Number(process.env.BOARD_TASKS ?? 10_000)
const ENTRIES = Number(process.env.BENCH_START_ENTRIES ?? 100_000)
const bin = join(root, 'packages/cli/dist/bin.js')

const BARE_LIBP2P = `
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { gossipsub } from '@libp2p/gossipsub'
const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()],
  services: { identify: identify(), pubsub: gossipsub() }
})
console.log(JSON.stringify({ addresses: node.getMultiaddrs().map(String) }))
process.on('SIGTERM', () => { node.stop().then(() => process.exit(0), () => process.exit(1)) })
`

/** Milliseconds from spawn to the first line on stdout; then stops the process and waits for its exit. */
async function startToReady (args: string[]): Promise<number> {
  const started = performance.now()
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, MUTUAL_LOG_LEVEL: 'warn' } })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  try {
    return await new Promise<number>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => { if (chunk.includes('\n')) resolve(performance.now() - started) })
      child.once('exit', (code) => { reject(new Error(`exited ${code} before its ready line`)) })
    })
  } finally {
    child.kill('SIGTERM')
    await exited
  }
}

const daemonArgs = (home: string): string[] =>
  [bin, 'daemon', '--home', home, '--listen', '/ip4/127.0.0.1/tcp/0', '--api', '127.0.0.1:0', '--no-mdns', '--json']

export default async function daemonStart (): Promise<BenchResult[]> {
  const empty = tempDir('start-empty')
  const loaded = tempDir('start-loaded')
  try {
    await boardHome(bin, empty.path, 0)
    // The board holds a genesis and one entry per 10 tasks; notes make up the rest.
    await boardHome(bin, loaded.path, TASKS, ENTRIES - 1 - Math.ceil(TASKS / 10))
    const { baseline, measured } = await compare({
      rounds: rounds(5),
      baseline: async () => await startToReady(['--input-type=module', '-e', BARE_LIBP2P]),
      measured: {
        loaded: async () => await startToReady(daemonArgs(loaded.path)),
        empty: async () => await startToReady(daemonArgs(empty.path))
      }
    })
    const common = { unit: 'ms to ready', baselines: baseline, baselineName: 'bare libp2p node (tcp, noise, yamux, identify, gossipsub), spawn to listening', baselineUnit: 'ms' }
    return [
      result({ ...common, name: 'daemon-start', values: measured.loaded, goal: '<= 2000 ms', params: { tasks: TASKS, entries: ENTRIES } }),
      result({ ...common, name: 'daemon-start-empty', values: measured.empty, params: { tasks: 0, entries: 1 } })
    ]
  } finally {
    empty.remove()
    loaded.remove()
  }
}
