/**
 * Durable writes: Log.append on a level store with sync on, 128 appends in flight, each
 * acknowledged only once its batch is fsynced; group commit lets one fsync cover many entries.
 * Baseline: the same concurrency without group commit: 128 `db.put(key, value, { sync: true })`
 * in flight on a raw classic-level database, values of the same size (LevelDB's own writer queue
 * may merge concurrent synced writes too). Ratio = ours / baseline: what Mutual's batching, paying
 * for signing and validation besides, gives over what the database does alone.
 */
import { ClassicLevel } from 'classic-level'
import { Log, levelStore } from '@mutual/log'
import { generateIdentity, type Identity } from '@mutual/protocol'
import { genesisBody, noteBody } from './fixtures.ts'
import { compare, perSecond, pool, result, rounds, tempDir, time, type BenchResult } from './lib.ts'

const N = Number(process.env.BENCH_N ?? 20_000) / 2
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

async function concurrentPuts (size: number): Promise<number> {
  const dir = tempDir('puts')
  try {
    const db = new ClassicLevel<string, Uint8Array>(dir.path, { keyEncoding: 'utf8', valueEncoding: 'view' })
    await db.open()
    const value = crypto.getRandomValues(new Uint8Array(size))
    const ms = await time(async () => {
      await pool(N, IN_FLIGHT, async (i) => { await db.put(`e1!${i.toString().padStart(16, '0')}`, value, { sync: true }) })
    })
    await db.close()
    return perSecond(N, ms)
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
    baseline: async () => await concurrentPuts(entryBytes),
    measured: { ours: async () => (await durableAppends(identity)).rate }
  })
  return [result({
    name: 'log-durable',
    unit: 'entries/s',
    values: samples.measured.ours,
    baselines: samples.baseline,
    baselineName: `classic-level put({ sync: true }), ${IN_FLIGHT} in flight`,
    baselineUnit: 'puts/s',
    goal: '> 1',
    params: { entries: N, puts: N, inFlight: IN_FLIGHT, entryBytes }
  })]
}
