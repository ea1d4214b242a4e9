/**
 * Cold open: a new Log over the level store of an existing 100,000-entry node (4 spaces, 8
 * authors each), timed until start() has resolved and every space's version vector is read.
 * Baseline: opening the same directory as a bare classic-level database and reading its first
 * key. Building the store is setup and is not timed; it lives in a tmp dir deleted afterwards.
 * Ratio = ours / bare open (time: lower is better).
 */
import { ClassicLevel } from 'classic-level'
import { Log, levelStore, vectorSize } from '@mutual/log'
import { generateIdentity } from '@mutual/protocol'
import { genesisBody, noteBody } from './fixtures.ts'
import { BenchSetupError, compare, pool, result, rounds, tempDir, time, type BenchResult } from './lib.ts'

const ENTRIES = Number(process.env.BENCH_OPEN_ENTRIES ?? 100_000)
const SPACES = 4
const AUTHORS = 8

async function build (path: string): Promise<string[]> {
  const authors = await Promise.all(Array.from({ length: AUTHORS }, async () => await generateIdentity()))
  // Durability is not what is measured here; sync off makes the setup quick.
  const log = new Log({ store: levelStore({ path, sync: false }) })
  await log.start()
  const spaces: string[] = []
  for (let s = 0; s < SPACES; s++) spaces.push((await log.createSpace(authors[0], genesisBody(authors))).space)
  await pool(ENTRIES - SPACES, 200, async (i) => {
    await log.append(authors[i % AUTHORS], spaces[Math.floor(i / AUTHORS) % SPACES], 'space/note', noteBody(i))
  })
  await log.stop()
  return spaces
}

export default async function logOpen (): Promise<BenchResult[]> {
  const dir = tempDir('open')
  try {
    const spaces = await build(dir.path)
    const samples = await compare({
      rounds: rounds(7),
      baseline: async () => {
        const db = new ClassicLevel<string, Uint8Array>(dir.path, { keyEncoding: 'utf8', valueEncoding: 'view' })
        const ms = await time(async () => {
          await db.open()
          const first = await db.keys({ limit: 1 }).all()
          if (first.length !== 1) throw new BenchSetupError('the store is empty')
        })
        await db.close()
        return ms
      },
      measured: {
        ours: async () => {
          const log = new Log({ store: levelStore({ path: dir.path }) })
          let held = 0
          const ms = await time(async () => {
            await log.start()
            for (const space of spaces) held += vectorSize(log.vector(space))
          })
          await log.stop()
          if (held !== ENTRIES) throw new BenchSetupError(`the log holds ${held} entries, not ${ENTRIES}`)
          return ms
        }
      }
    })
    return [result({
      name: 'log-open',
      unit: 'ms',
      values: samples.measured.ours,
      baselines: samples.baseline,
      baselineName: 'classic-level open + first key, same directory',
      baselineUnit: 'ms',
      params: { entries: ENTRIES, spaces: SPACES, authorsPerSpace: AUTHORS }
    })]
  } finally {
    dir.remove()
  }
}
