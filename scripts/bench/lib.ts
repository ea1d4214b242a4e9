import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, freemem, loadavg, platform, arch, release, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cpuMs } from './cpu.ts'

/** One measured figure beside the baseline it is judged against, both taken in the same run. */
export interface BenchResult {
  name: string
  unit: string
  /** median of the measured rounds */
  value: number
  /** median of the baseline rounds, run interleaved with the measured ones */
  baseline: number
  baselineName: string
  baselineUnit: string
  /** value / baseline */
  ratio: number
  /** what the ratio should be, e.g. '>= 0.75'; absent where none is set */
  goal?: string
  params?: Record<string, unknown>
  samples?: { value: number[], baseline: number[] }
  /** the same comparison in CPU time, where the rounds were measured by `compare` */
  cpu?: CpuFigures
}

/** Wall and CPU milliseconds of one round's timed work (CPU of this process, its threads and its children). */
export interface Span {
  wallMs: number
  cpuMs: number
}

/**
 * A result's figures in CPU time. For a rate (a unit ending in `/s`) each round's figure is the
 * rate per CPU-second, `rate × wall / cpu` (units per second of CPU used); for anything else it
 * is the CPU milliseconds the round's timed work used. `ratio` reads like the wall ratio: for a
 * rate above 1 means the measured side did more per CPU-second than the baseline; for a time,
 * above 1 means it used more CPU.
 */
export interface CpuFigures {
  unit: string
  value: number
  baseline: number
  ratio: number
  /** 'timed': CPU of the spans timed by `time`/`stopwatch`; 'round': of the whole round (nothing was timed) */
  span: 'timed' | 'round'
  samples: { value: Span[], baseline: Span[] }
}

export interface MachineInfo {
  cpu: string
  cores: number
  memoryGiB: number
  node: string
  platform: string
  /** 1-minute load average when the run started: a hint of how much others were using the CPU */
  loadAverage: number
}

/** A benchmark module's default export. */
export type Benchmark = () => Promise<BenchResult[]>

export const root = fileURLToPath(new URL('../../', import.meta.url))
export const resultsDir = join(root, 'bench-results')

export function machineInfo (): MachineInfo {
  const list = cpus()
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30 * 10) / 10,
    node: process.version,
    platform: `${platform()} ${release()} ${arch()}`,
    loadAverage: Math.round(loadavg()[0] * 100) / 100
  }
}

/** Rounds per benchmark: `BENCH_ROUNDS` or the given default. */
export function rounds (fallback = 5): number {
  const n = Number(process.env.BENCH_ROUNDS)
  return Number.isSafeInteger(n) && n > 0 ? n : fallback
}

/** The spans timed in the round `compare` is running, if it is running one. */
let roundSpans: Span[] | undefined

/**
 * Starts timing: `stop()` returns the wall milliseconds since, and records the span's wall and
 * CPU time for the round `compare` is running (so its CPU figures cover the timed work only).
 */
export function stopwatch (): { stop: () => number } {
  const cpu = cpuMs()
  const start = performance.now()
  return {
    stop: () => {
      const wallMs = performance.now() - start
      roundSpans?.push({ wallMs, cpuMs: cpuMs() - cpu })
      return wallMs
    }
  }
}

/** Milliseconds taken by `fn` (recorded as a timed span, see `stopwatch`). */
export async function time (fn: () => unknown): Promise<number> {
  const watch = stopwatch()
  await fn()
  return watch.stop()
}

/** Items per second for `count` items done in `ms` milliseconds. */
export function perSecond (count: number, ms: number): number {
  return count / (ms / 1000)
}

export function percentile (values: number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = (p / 100) * (sorted.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo)
}

export function median (values: number[]): number {
  return percentile(values, 50)
}

/** Collects garbage between rounds when node runs with `--expose-gc` (run.ts starts it so). */
export function collectGarbage (): void {
  (globalThis as { gc?: () => void }).gc?.()
}

/**
 * Runs `count` tasks with at most `concurrency` in flight, starting the next as each settles:
 * many independent callers, as a busy node has. Rejects with the first failure.
 */
export async function pool (count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++)
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
}

/** CPU samples of the figure arrays `compare` returned, found again by `result` (no benchmark has to pass them on). */
const cpuOfSamples = new WeakMap<number[], { spans: Span[], span: 'timed' | 'round' }>()

/** Runs one round into `into`, and its CPU into `spans`: of the spans it timed, or of all of it. */
async function measuredRound (fn: () => Promise<number>, into: number[], spans: Span[]): Promise<'timed' | 'round'> {
  const timed: Span[] = []
  roundSpans = timed
  const cpu = cpuMs()
  const start = performance.now()
  try {
    into.push(await fn())
  } finally {
    roundSpans = undefined
  }
  const whole = { wallMs: performance.now() - start, cpuMs: cpuMs() - cpu }
  if (timed.length === 0) {
    spans.push(whole)
    return 'round'
  }
  spans.push({ wallMs: timed.reduce((n, t) => n + t.wallMs, 0), cpuMs: timed.reduce((n, t) => n + t.cpuMs, 0) })
  return 'timed'
}

/**
 * Measures a figure and its baseline in alternating rounds, so that load from other processes
 * falls on both alike. Each function returns its own figure for one round (a rate or a time);
 * the result holds the medians. Each round's CPU time (this process with its worker threads,
 * and its child processes) is taken beside its wall time, over the spans the round timed with
 * `time` or `stopwatch` or, when it timed none, over the whole round; `result` reports it.
 */
export async function compare (init: {
  rounds: number
  warmup?: boolean
  baseline: () => Promise<number>
  measured: Record<string, () => Promise<number>>
}): Promise<{ baseline: number[], measured: Record<string, number[]> }> {
  const baseline: number[] = []
  const measured: Record<string, number[]> = Object.fromEntries(Object.keys(init.measured).map((k) => [k, []]))
  const cpu = new Map<number[], { spans: Span[], span: 'timed' | 'round' }>([baseline, ...Object.values(measured)].map((list) => [list, { spans: [], span: 'timed' }]))
  const run = async (fn: () => Promise<number>, into: number[]): Promise<void> => {
    const c = cpu.get(into) as { spans: Span[], span: 'timed' | 'round' }
    if (await measuredRound(fn, into, c.spans) === 'round') c.span = 'round'
  }
  if (init.warmup ?? true) {
    await init.baseline()
    for (const fn of Object.values(init.measured)) await fn()
  }
  for (let r = 0; r < init.rounds; r++) {
    collectGarbage()
    await run(init.baseline, baseline)
    for (const [name, fn] of Object.entries(init.measured)) {
      collectGarbage()
      await run(fn, measured[name])
    }
  }
  for (const [list, c] of cpu) cpuOfSamples.set(list, c)
  return { baseline, measured }
}

function isRate (unit: string): boolean {
  return unit.endsWith('/s')
}

/** The CPU figures of two sample arrays that `compare` returned, in the sense of `unit`. */
function cpuFigures (unit: string, values: number[], baselines: number[]): CpuFigures | undefined {
  const v = cpuOfSamples.get(values)
  const b = cpuOfSamples.get(baselines)
  if (v === undefined || b === undefined || v.spans.length !== values.length || b.spans.length !== baselines.length) return undefined
  const rate = isRate(unit)
  const perRound = (figures: number[], spans: Span[]): number[] => spans.map((s, i) => rate ? figures[i] * s.wallMs / s.cpuMs : s.cpuMs)
  const value = median(perRound(values, v.spans))
  const baseline = median(perRound(baselines, b.spans))
  return {
    unit: rate ? `${unit.slice(0, -2)} per CPU-second` : 'CPU ms',
    value,
    baseline,
    ratio: value / baseline,
    span: v.span === 'round' || b.span === 'round' ? 'round' : 'timed',
    samples: { value: v.spans, baseline: b.spans }
  }
}

/**
 * Builds a result from round samples: medians, and their ratio; beside them the same in CPU
 * time when the samples came from `compare`.
 */
export function result (init: Omit<BenchResult, 'value' | 'baseline' | 'ratio' | 'samples' | 'cpu'> & { values: number[], baselines: number[] }): BenchResult {
  const { values, baselines, ...rest } = init
  const value = median(values)
  const baseline = median(baselines)
  const cpu = cpuFigures(init.unit, values, baselines)
  return { ...rest, value, baseline, ratio: value / baseline, samples: { value: values, baseline: baselines }, ...(cpu === undefined ? {} : { cpu }) }
}

/** Writes `bench-results/<name>.json`. */
export function writeResult (res: BenchResult, machine: MachineInfo = machineInfo()): string {
  mkdirSync(resultsDir, { recursive: true })
  const file = join(resultsDir, `${res.name}.json`)
  const { name, unit, value, baseline, baselineName, ratio, ...extra } = res
  const out = { name, unit, value, baseline, baselineName, ratio, machine, ...extra, date: new Date().toISOString() }
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n')
  return file
}

function format (n: number): string {
  if (!Number.isFinite(n)) return String(n)
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US')
  if (Math.abs(n) >= 10) return n.toFixed(1)
  return n.toFixed(2)
}

/** Prints results as an aligned table. */
export function printTable (results: BenchResult[]): void {
  const header = ['name', 'value', 'unit', 'baseline', 'baseline unit', 'ratio', 'cpu ratio', 'goal', 'spread (min–max)']
  const rows = results.map((r) => [
    r.name,
    format(r.value),
    r.unit,
    format(r.baseline),
    r.baselineUnit,
    r.ratio.toFixed(2),
    r.cpu === undefined ? '' : r.cpu.ratio.toFixed(2),
    r.goal ?? '',
    r.samples === undefined ? '' : `${format(Math.min(...r.samples.value))}–${format(Math.max(...r.samples.value))}`
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)))
  const line = (cells: string[]): string => cells.map((c, i) => i === 0 || i === 2 || i === 4 ? c.padEnd(widths[i]) : c.padStart(widths[i])).join('  ')
  console.log(line(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const row of rows) console.log(line(row))
  const withCpu = results.filter((r) => r.cpu !== undefined)
  if (withCpu.length > 0) console.log('\nCPU time (this process, its worker threads and its child processes; median of rounds):')
  for (const { name, cpu } of withCpu) {
    if (cpu === undefined) continue
    console.log(`  ${name}: ${format(cpu.value)} against ${format(cpu.baseline)} ${cpu.unit}, ratio ${cpu.ratio.toFixed(2)}${cpu.span === 'round' ? ' (whole rounds: nothing was timed apart)' : ''}`)
  }
}

/** A fresh directory under the system tmp dir, and a function that deletes it. */
export function tempDir (prefix: string): { path: string, remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `mutual-bench-${prefix}-`))
  return { path, remove: () => { rmSync(path, { recursive: true, force: true }) } }
}

export function describeMachine (m: MachineInfo): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB (${Math.round(freemem() / 2 ** 30)} GiB free), node ${m.node}, ${m.platform}, load ${m.loadAverage}`
}

/** A benchmark found its fixture or its baseline wrong: the figures would mean nothing. */
export class BenchSetupError extends Error {
  override name = 'BenchSetupError'
}
