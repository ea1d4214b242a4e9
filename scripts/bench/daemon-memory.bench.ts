/**
 * daemon-memory: resident memory of an idle `mutual daemon` (node, log, HTTP API, no peers),
 * beside a bare Node.js process that only keeps its event loop alive, both measured in the same
 * run on the same Node binary. The ratio says what Mutual's stack adds to the runtime itself.
 * daemon-memory-board: the same daemon holding a 10,000-task board (built beforehand in its data
 * directory, with its snapshot), beside the same bare process.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { boardHome } from './fixtures.ts'
import { compare, result, root, rounds, tempDir, type BenchResult } from './lib.ts'

const BOARD_TASKS = Number(process.env.BOARD_TASKS ?? 10_000)

const IDLE_MS = Number(process.env.IDLE_MS ?? 5000)

function rssMiB (pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1])
  return kb / 1024
}

async function untilReady (child: ChildProcess, marker: RegExp): Promise<void> {
  let out = ''
  await new Promise<void>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
      if (marker.test(out)) resolve()
    })
    child.once('exit', (code) => { reject(new Error(`exited ${code} before ready`)) })
  })
}

async function measure (args: string[], marker: RegExp): Promise<number> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, MUTUAL_LOG_LEVEL: 'warn' } })
  try {
    await untilReady(child, marker)
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS))
    return rssMiB(child.pid as number)
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
}

export default async function daemonMemory (): Promise<BenchResult[]> {
  const home = tempDir('mutual-bench-daemon-')
  const bin = join(root, 'packages/cli/dist/bin.js')
  const daemon = async (): Promise<number> => await measure(
    [bin, 'daemon', '--home', home.path, '--listen', '/ip4/127.0.0.1/tcp/0', '--api', '127.0.0.1:0', '--no-mdns', '--json'], /\n/)
  const bare = async (): Promise<number> => await measure(['-e', 'console.log("ready"); setInterval(() => {}, 1000)'], /ready/)
  const withBoard = tempDir('mutual-bench-daemon-board-')
  await boardHome(bin, withBoard.path, BOARD_TASKS)
  const boardDaemon = async (): Promise<number> => await measure(
    [bin, 'daemon', '--home', withBoard.path, '--listen', '/ip4/127.0.0.1/tcp/0', '--api', '127.0.0.1:0', '--no-mdns', '--json'], /\n/)
  try {
    const { baseline, measured } = await compare({ rounds: rounds(3), warmup: false, baseline: bare, measured: { daemon, boardDaemon } })
    return [result({
      name: 'daemon-memory-board',
      unit: 'MiB RSS',
      values: measured.boardDaemon,
      baselines: baseline,
      baselineName: 'bare Node.js process, same binary',
      baselineUnit: 'MiB RSS',
      params: { idleMs: IDLE_MS, boardTasks: BOARD_TASKS }
    }), result({
      name: 'daemon-memory',
      unit: 'MiB RSS',
      values: measured.daemon,
      baselines: baseline,
      baselineName: 'bare Node.js process, same binary',
      baselineUnit: 'MiB RSS',
      params: { idleMs: IDLE_MS, peers: 0, spaces: 0 }
    })]
  } finally {
    home.remove()
    withBoard.remove()
  }
}
