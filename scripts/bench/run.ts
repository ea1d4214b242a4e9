/**
 * `pnpm bench [name...]`: runs every scripts/bench/*.bench.ts, or the named ones. Each benchmark
 * runs in its own node process (with `--expose-gc`), so one's heap and JIT state do not skew the
 * next; each prints its table and writes bench-results/<result name>.json.
 */
import { spawnSync } from 'node:child_process'
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
  let failed = 0
  for (const name of names) {
    const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', name], { stdio: 'inherit' })
    if (child.status !== 0) {
      console.error(`${name} failed (${child.signal ?? `exit ${child.status}`})`)
      failed++
    }
  }
  process.exit(failed === 0 ? 0 : 1)
}
