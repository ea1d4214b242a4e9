/**
 * Verify + store: pre-signed entries from several authors ingested into a fresh log, as a sync
 * session does (`Log.ingestMany` of batches of 512, `durable: false`, one flush at the end: the
 * signatures are checked on libuv's thread pool beside the main thread). `log-ingest-one` is the
 * one-at-a-time path (`Log.ingest`, as gossip delivers entries). Baseline: node:crypto Ed25519
 * verification of the same signatures over the same messages with keys imported beforehand, on
 * the main thread, the floor under any single-threaded ingest path. Goal: ingest at 0.8 of that
 * rate or better. The CPU ratio compares the CPU each side spent per entry, on every thread.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto'
import { Log, levelStore, memoryStore, type EntryStore } from '@mutual/log'
import { publicKeyOf } from '@mutual/protocol'
import { signatureCases, signedEntries } from './fixtures.ts'
import { BenchSetupError, compare, perSecond, result, rounds, tempDir, time, type BenchResult } from './lib.ts'

const N = Number(process.env.BENCH_N ?? 20_000)
const AUTHORS = 8
/** a sync session's batch (`DEFAULT_SYNC_LIMITS.maxBatchEntries` of @mutual/node) */
const BATCH = 512
// DER prefix wrapping a raw Ed25519 public key (RFC 8410).
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

export default async function logIngest (): Promise<BenchResult[]> {
  const { entries } = await signedEntries(N, AUTHORS)
  const cases = signatureCases(entries)
  const keys = new Map<string, KeyObject>()
  for (const { author } of cases) {
    if (!keys.has(author)) keys.set(author, createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKeyOf(author)]), format: 'der', type: 'spki' }))
  }
  const checks = cases.map((c) => ({ key: keys.get(c.author) as KeyObject, message: c.message, sig: c.sig }))

  const ingestAll = async (store: EntryStore, batched = true): Promise<number> => {
    const log = new Log({ store })
    await log.start()
    const ms = await time(async () => {
      if (batched) {
        for (let i = 0; i < entries.length; i += BATCH) await log.ingestMany(entries.slice(i, i + BATCH), { durable: false })
      } else {
        for (const bytes of entries) await log.ingest(bytes, { durable: false })
      }
      await log.flush()
    })
    await log.stop()
    return perSecond(entries.length, ms)
  }

  const samples = await compare({
    rounds: rounds(7),
    baseline: async () => perSecond(checks.length, await time(() => {
      for (const c of checks) if (!verify(null, c.message, c.key, c.sig)) throw new BenchSetupError('baseline: a signature did not verify')
    })),
    measured: {
      memory: async () => await ingestAll(memoryStore()),
      one: async () => await ingestAll(memoryStore(), false),
      level: async () => {
        const dir = tempDir('ingest')
        try {
          return await ingestAll(levelStore({ path: dir.path }))
        } finally {
          dir.remove()
        }
      }
    }
  })

  const common = {
    unit: 'entries/s',
    baselineName: 'node:crypto Ed25519 verify, same signatures',
    baselineUnit: 'verifications/s',
    goal: '>= 0.8',
    params: { entries: N, authors: AUTHORS, entryBytes: Math.round(entries.reduce((n, e) => n + e.byteLength, 0) / entries.length) }
  }
  return [
    result({ name: 'log-ingest', ...common, values: samples.measured.memory, baselines: samples.baseline, params: { ...common.params, store: 'memory', batch: BATCH } }),
    result({ name: 'log-ingest-one', ...common, goal: undefined, values: samples.measured.one, baselines: samples.baseline, params: { ...common.params, store: 'memory', batch: 1 } }),
    result({ name: 'log-ingest-level', ...common, values: samples.measured.level, baselines: samples.baseline, params: { ...common.params, store: 'level (sync: true, ingest durable: false, one flush)', batch: BATCH } })
  ]
}
