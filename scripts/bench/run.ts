/**
 * `pnpm bench [name...]`: runs every scripts/bench/*.bench.ts, or the named ones. Each benchmark
 * runs in its own node process (with `--expose-gc`), so one's heap and JIT state do not skew the
 * next; each prints its table and writes bench-results/<result name>.json. A benchmark must end
 * by itself once its results are written: the runner fails one that is still running
 * `BENCH_EXIT_S` seconds later (an open handle), or that runs past `BENCH_TIMEOUT_S` in all, and
 * names it.
 */
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describeMachine, machineInfo, printTable, writeResult, type BenchResult, type Benchmark } from './lib.ts'

const here = fileURLToPath(new URL('.', import.meta.url))
const SUFFIX = '.bench.ts'
const available = readdirSync(here).filter((f) => f.endsWith(SUFFIX)).map((f) => f.slice(0, -SUFFIX.length)).sort()

async function runOne (name: string): Promise<void> {
  const mod = await import(new URL(`./${name}${SUFFIX}`, import.meta.url).href) as { default: Benchmark }
  const machine = machineInfo()
  console.log(`\n# ${name} — ${describeMachine(machine)}`)
  const results: BenchResult[] = await mod.default()
  console.log()
  printTable(results)
  for (const r of results) console.log(`wrote ${writeResult(r, machine)}`)
  // Tells the runner the results are on disk, then lets go of the channel: from here the process
  // must exit by itself.
  process.send?.('written')
  process.disconnect?.()
}

const EXIT_S = Number(process.env.BENCH_EXIT_S ?? 10)
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_S ?? 1800)

/** Runs one benchmark in its own process; resolves to why it failed, or undefined. */
async function runChild (name: string): Promise<string | undefined> {
  const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', name], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] })
  let why: string | undefined
  const kill = (reason: string): void => {
    why = reason
    child.kill('SIGKILL')
  }
  const total = setTimeout(() => { kill(`did not end within ${TIMEOUT_S} s`) }, TIMEOUT_S * 1000)
  let exitTimer: NodeJS.Timeout | undefined
  child.once('message', () => {
    exitTimer = setTimeout(() => { kill(`wrote its results but did not exit within ${EXIT_S} s (a handle left open)`) }, EXIT_S * 1000)
  })
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => { resolve([c, s]) }))
  clearTimeout(total)
  clearTimeout(exitTimer)
  if (why !== undefined) return why
  return code === 0 ? undefined : `failed (${signal ?? `exit ${code}`})`
}

const args = process.argv.slice(2)
if (args[0] === '--child') {
  await runOne(args[1])
} else {
  const names = args.length === 0 ? available : args
  const unknown = names.filter((n) => !available.includes(n))
  if (unknown.length > 0) {
    console.error(`unknown benchmark ${unknown.join(', ')}; available: ${available.join(', ')}`)
    process.exit(2)
  }
  const failed: string[] = []
  for (const name of names) {
    const why = await runChild(name)
    if (why !== undefined) {
      console.error(`benchmark ${name} ${why}`)
      failed.push(name)
    }
  }
  if (failed.length > 0) console.error(`failed: ${failed.join(', ')}`)
  process.exit(failed.length === 0 ? 0 : 1)
}
