/**
 * daemon-start: time from spawning `mutual daemon` to its ready line, on a data directory holding
 * a board of 10,000 tasks and 100,000 entries in all (the board's 1,001 and notes in four other
 * spaces), and on an empty one. Baseline in the same run, rounds interleaved: a process that
 * starts a bare libp2p node (TCP, Noise, Yamux, identify, gossipsub: the transports and the
 * pubsub Mutual's node is built on, none of Mutual) and prints a line once it listens. Both
 * include Node.js's own start and module loading, as a user's start does. Beside the wall
 * times, `params.cpuMs` holds the CPU time each process had used by its ready line.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { boardHome } from './fixtures.ts'
import { compare, median, result, root, rounds, tempDir, type BenchResult } from './lib.ts'

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

/** CPU time a process has used so far, ms: user + system from /proc (in clock ticks of 10 ms). */
function cpuMs (pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

interface Start { ms: number, cpuMs: number }

/**
 * Wall time from spawn to the first line on stdout, and the CPU time the process had used by then
 * (which the machine's other load hardly moves); then stops the process and waits for its exit.
 */
async function startToReady (args: string[]): Promise<Start> {
  const started = performance.now()
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, MUTUAL_LOG_LEVEL: 'warn' } })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  try {
    return await new Promise<Start>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        if (chunk.includes('\n')) resolve({ ms: performance.now() - started, cpuMs: cpuMs(child.pid as number) })
      })
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
    const cpu: Record<'baseline' | 'loaded' | 'empty', number[]> = { baseline: [], loaded: [], empty: [] }
    const run = (which: keyof typeof cpu, args: string[]) => async (): Promise<number> => {
      const start = await startToReady(args)
      cpu[which].push(start.cpuMs)
      return start.ms
    }
    const { baseline, measured } = await compare({
      rounds: rounds(5),
      baseline: run('baseline', ['--input-type=module', '-e', BARE_LIBP2P]),
      measured: { loaded: run('loaded', daemonArgs(loaded.path)), empty: run('empty', daemonArgs(empty.path)) }
    })
    // CPU medians beside the wall-time ones (warm-up rounds included in neither).
    const cpuOf = (which: keyof typeof cpu): { value: number, baseline: number, ratio: number } => {
      const value = median(cpu[which].slice(1))
      const base = median(cpu.baseline.slice(1))
      return { value, baseline: base, ratio: value / base }
    }
    const common = { unit: 'ms to ready', baselines: baseline, baselineName: 'bare libp2p node (tcp, noise, yamux, identify, gossipsub), spawn to listening', baselineUnit: 'ms' }
    return [
      result({ ...common, name: 'daemon-start', values: measured.loaded, goal: '<= 2000 ms', params: { tasks: TASKS, entries: ENTRIES, cpuMs: cpuOf('loaded') } }),
      result({ ...common, name: 'daemon-start-empty', values: measured.empty, params: { tasks: 0, entries: 1, cpuMs: cpuOf('empty') } })
    ]
  } finally {
    empty.remove()
    loaded.remove()
  }
}
