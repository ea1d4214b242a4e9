/**
 * Durable writes: Log.append on a level store with sync on, 128 appends in flight, each
 * acknowledged only once its batch is fsynced; group commit lets one fsync cover many entries.
 * Baseline: the naive way to make every write durable on the same disk, one awaited
 * `db.put(key, value, { sync: true })` at a time on a raw classic-level database, values of the
 * same size. Ratio = ours / naive; above 1 means batching pays for signing and validation.
 */
import { ClassicLevel } from 'classic-level'
import { Log, levelStore } from '@mutual/log'
import { generateIdentity, type Identity } from '@mutual/protocol'
import { genesisBody, noteBody } from './fixtures.ts'
import { compare, perSecond, pool, result, rounds, tempDir, time, type BenchResult } from './lib.ts'

const N = Number(process.env.BENCH_N ?? 20_000) / 2
const NAIVE_N = Math.max(100, Math.round(N / 5))
const IN_FLIGHT = 128

async function durableAppends (identity: Identity): Promise<{ rate: number, sizes: number[] }> {
  const dir = tempDir('durable')
  try {
    const log = new Log({ store: levelStore({ path: dir.path, sync: true }) })
    await log.start()
    const { space } = await log.createSpace(identity, genesisBody([identity]))
    const sizes: number[] = []
    const ms = await time(async () => {
      await pool(N, IN_FLIGHT, async (i) => {
        sizes.push((await log.append(identity, space, 'space/note', noteBody(i))).bytes.byteLength)
      })
    })
    await log.stop()
    return { rate: perSecond(N, ms), sizes }
  } finally {
    dir.remove()
  }
}

async function naivePuts (size: number): Promise<number> {
  const dir = tempDir('naive')
  try {
    const db = new ClassicLevel<string, Uint8Array>(dir.path, { keyEncoding: 'utf8', valueEncoding: 'view' })
    await db.open()
    const value = crypto.getRandomValues(new Uint8Array(size))
    const ms = await time(async () => {
      for (let i = 0; i < NAIVE_N; i++) await db.put(`e1!${i.toString().padStart(16, '0')}`, value, { sync: true })
    })
    await db.close()
    return perSecond(NAIVE_N, ms)
  } finally {
    dir.remove()
  }
}

export default async function logDurable (): Promise<BenchResult[]> {
  const identity = await generateIdentity()
  const { sizes } = await durableAppends(identity)
  const entryBytes = Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length)

  const samples = await compare({
    rounds: rounds(5),
    baseline: async () => await naivePuts(entryBytes),
    measured: { ours: async () => (await durableAppends(identity)).rate }
  })
  return [result({
    name: 'log-durable',
    unit: 'entries/s',
    values: samples.measured.ours,
    baselines: samples.baseline,
    baselineName: 'classic-level put({ sync: true }), one awaited at a time',
    baselineUnit: 'puts/s',
    goal: '> 1',
    params: { entries: N, naivePuts: NAIVE_N, inFlight: IN_FLIGHT, entryBytes }
  })]
}
