import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { expect } from 'vitest'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { eventually as poll } from '../support/poll.ts'

/** Helpers for transcript tests: the built `mutual` run as real processes, never in-process. */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const BIN = join(ROOT, 'packages/cli/dist/bin.js')
const children = new Set<ChildProcess>()
const homes: string[] = []

/**
 * Builds the workspace (tsc -b is incremental, so this is quick when nothing changed). A lock
 * directory keeps test files that run in parallel from building over each other.
 */
export function buildOnce (): void {
  const lock = join(ROOT, 'node_modules/.cache/mutual-cli-test-build.lock')
  mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true })
  const deadline = Date.now() + 120_000
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      // A lock older than two minutes was left by a run that died.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true })
      if (Date.now() > deadline) throw new Error('timed out waiting for another build')
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200)
    }
  }
  try {
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' })
    if (tsc.status !== 0) throw new Error(`build failed:\n${tsc.stdout}${tsc.stderr}`)
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

export function tempHome (): string {
  const home = mkdtempSync(join(tmpdir(), 'mutual-cli-'))
  homes.push(home)
  return home
}

/** The environment of every child: nothing inherited that would change the CLI's behaviour. */
export function childEnv (extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MUTUAL_LOG_LEVEL: 'warn' }
  for (const key of ['MUTUAL_HOME', 'NO_COLOR', 'FORCE_COLOR', 'MUTUAL_DEBUG']) delete env[key]
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key]
    else env[key] = value
  }
  return env
}

function track (child: ChildProcess): ChildProcess {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** `node <args>`, or inside the network namespace `netns` (`ip netns exec`) when given. */
function spawnNode (args: string[], options: { env?: NodeJS.ProcessEnv, netns?: string }): ChildProcess {
  const [command, argv] = options.netns === undefined ? [process.execPath, args] : ['ip', ['netns', 'exec', options.netns, process.execPath, ...args]]
  return track(spawn(command, argv, { cwd: ROOT, env: options.env ?? childEnv(), stdio: ['ignore', 'pipe', 'pipe'] }))
}

/** Runs `mutual <args>` to completion (killed after `timeoutMs`), in the network namespace `netns` if given. */
export async function mutual (args: string[], options: { env?: Record<string, string | undefined>, timeoutMs?: number, netns?: string } = {}): Promise<CliResult> {
  const child = spawnNode([BIN, ...args], { env: childEnv(options.env), netns: options.netns })
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000)
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (c) => { resolve(c) })
  })
  clearTimeout(timer)
  return { code, stdout, stderr }
}

/** The last JSON line of a text: the error line `mutual --json` writes on stderr. */
export function lastJson (text: string): any {
  const line = text.split('\n').filter((l) => l.startsWith('{')).at(-1)
  return line === undefined ? undefined : JSON.parse(line)
}

export interface JsonResult extends CliResult {
  /** stdout as JSON (undefined when empty) */
  out: any
  /** the error line of stderr as JSON, if any */
  err: any
}

/** `mutual --home <home> --json <args>` whatever its exit code: stdout and the stderr error line parsed. */
export async function cliJson (home: string, args: string[]): Promise<JsonResult> {
  const r = await mutual(['--home', home, '--json', ...args])
  return { ...r, out: r.stdout.trim() === '' ? undefined : JSON.parse(r.stdout), err: lastJson(r.stderr) }
}

/** `mutual --json <args>`, expecting exit 0 and JSON on stdout. */
export async function mutualJson<T = any> (args: string[]): Promise<T> {
  const result = await mutual([...args, '--json'])
  if (result.code !== 0) throw new Error(`mutual ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
  return JSON.parse(result.stdout) as T
}

export interface Ready {
  id: string
  addresses: string[]
  api: string
}

export interface DaemonProcess {
  readonly child: ChildProcess
  readonly home: string
  ready: Ready
  stdout: string
  stderr: string
  /** sends `signal` (SIGTERM by default), then resolves to the exit code (SIGKILL after 15 s) */
  stop (signal?: NodeJS.Signals): Promise<number | null>
}

/**
 * Starts `mutual daemon` on loopback with free ports and no mDNS (unless asked), and waits for its ready
 * output on stdout: a JSON line with `json`, else the human block ending in its `api` line.
 * `nodeArgs` go to node before the script (a benchmark's `--cpu-prof`).
 */
export async function startDaemon (home: string, options: { json?: boolean, args?: string[], mdns?: boolean, config?: Record<string, unknown>, netns?: string, nodeArgs?: string[] } = {}): Promise<DaemonProcess> {
  if (options.config !== undefined) await configure(home, options.config)
  const args = [...(options.nodeArgs ?? []), BIN, 'daemon', '--home', home, '--listen', '/ip4/127.0.0.1/tcp/0', '--api', '127.0.0.1:0', ...(options.mdns === true ? [] : ['--no-mdns']), ...(options.args ?? [])]
  if (options.json === true) args.push('--json')
  const child = spawnNode(args, { netns: options.netns })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { resolve(code) }))
  const daemon: DaemonProcess = {
    child,
    home,
    ready: undefined as unknown as Ready,
    stdout: '',
    stderr: '',
    async stop (signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      const code = await exited
      clearTimeout(timer)
      return code
    }
  }
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { daemon.stderr += chunk })
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`daemon not ready after 30 s:\n${daemon.stderr}`)) }, 30_000)
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      daemon.stdout += chunk
      const found = parseReady(daemon.stdout, options.json === true)
      if (found !== undefined) {
        clearTimeout(timer)
        resolve(found)
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`daemon exited ${code} before ready:\n${daemon.stderr}`))
    })
  })
  daemon.ready = ready
  return daemon
}

/** Initializes `home` through the CLI if needed and merges `fields` into its config.json. */
export async function configure (home: string, fields: Record<string, unknown>): Promise<void> {
  const init = await mutual(['init', '--home', home])
  if (init.code !== 0) throw new Error(`mutual init exited ${init.code}: ${init.stderr}`)
  const file = join(home, 'config.json')
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), ...fields }, null, 2))
}

function parseReady (stdout: string, json: boolean): Ready | undefined {
  if (json) {
    const line = stdout.split('\n')[0]
    return stdout.includes('\n') ? JSON.parse(line) as Ready : undefined
  }
  const api = /^api\s+(\S+)$/m.exec(stdout)
  if (api === null) return undefined
  const id = /^id\s+(\S+)$/m.exec(stdout)![1]
  const addresses = [...stdout.matchAll(/^(?:listen\s+|\s+)(\/\S+)$/gm)].map((m) => m[1])
  return { id, addresses, api: api[1] }
}

/** Kills whatever is still running and removes temporary homes; for afterAll. */
export function cleanup (): void {
  for (const child of children) child.kill('SIGKILL')
  children.clear()
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true })
}

// eslint-disable-next-line no-control-regex
export const ANSI = /\u001b\[[0-9;]*m/

/** Polls `check` every 200 ms (each check runs the CLI) until it holds, or fails naming `what` after `timeoutMs`. */
export async function eventually (check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  await poll(check, timeoutMs, what, { intervalMs: 200 })
}

/** Runs `mutual <args> --home <d>`, expecting exit 0; resolves to stdout, trimmed. */
export async function ok (d: DaemonProcess, args: string[]): Promise<string> {
  const result = await mutual([...args, '--home', d.home])
  expect(result.code, `mutual ${args.join(' ')}: ${result.stderr}`).toBe(0)
  return result.stdout.trim()
}

/** A free loopback port, for a daemon that must come back on the same address or a README's fixed one. */
export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => { resolve(port) })
    })
  })
}

/** A call to a daemon's HTTP API with its bearer token (from its `api` file), for setting scenes up and checking them. */
export async function api (d: { home: string }, method: string, path: string, body?: unknown): Promise<{ status: number, body: any }> {
  const { url, token } = JSON.parse(readFileSync(join(d.home, 'api'), 'utf8')) as { url: string, token: string }
  const res = await fetch(`${url}/api/v1${path}`, {
    method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body)
  })
  return { status: res.status, body: await res.json() }
}
