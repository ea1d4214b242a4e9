/**
 * Ledger ingest on every core: 100,000 pre-signed `contrib/record` entries by many authors in one
 * ledger space, split by author across one worker thread per core; each worker ingests its share
 * into its own Log (memoryStore, the ledger's record types and write-time rules: genesis policy
 * plus `ledgerAuthorizer`, every author a member) one entry at a time with `durable: false`, then
 * flushes: as a sync session does (`Log.ingestMany` of 512-entry batches; `ledger-verify-one`
 * ingests one entry at a time). Baseline in the same run and the same split: node:crypto Ed25519
 * verification of the same signatures with KeyObjects imported beforehand, the floor under any
 * ingest path. Both are wall-clock rates over all workers (the slowest worker ends the round);
 * CPU time is the process's, every worker thread's and the thread pool's included. Goal: ≥ 0.75.
 *
 * Setup signs in the workers too: each appends its authors' records to a scratch log (the
 * genesis is made once here and ingested by every worker), and keeps the bytes.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { Log, genesisPolicy, memoryStore } from '@mutual/log'
import {
  RecordRegistry, baseRecordTypes, decode, exportIdentity, generateIdentity, importIdentity, publicKeyOf, signingBytes,
  unsignedFields, type Entry, type Identity
} from '@mutual/protocol'
import { ledgerAuthorizer, ledgerRecordTypes, periodOf, type Participants } from '@mutual/ledger'
import { BenchSetupError, compare, median, result, rounds, stopwatch, type BenchResult } from './lib.ts'

const N = Number(process.env.BENCH_N ?? 100_000)
const WORKERS = Number(process.env.BENCH_WORKERS ?? availableParallelism())
const AUTHORS_PER_WORKER = 8
// DER prefix wrapping a raw Ed25519 public key (RFC 8410).
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

interface WorkerInit { genesis: Uint8Array, authors: Uint8Array[], count: number }
type Command = 'ingest' | 'ingest-one' | 'native'
/** a sync session's batch (`DEFAULT_SYNC_LIMITS.maxBatchEntries` of @mutual/node) */
const BATCH = 512
type Reply = { type: 'ready', bytes: number, entries: number } | { type: 'done', ms: number } | { type: 'error', message: string }

const members: Participants = { roles: () => ['member'], operatorOf: () => undefined }

function ledgerLog (): Log {
  return new Log({
    store: memoryStore(),
    registry: new RecordRegistry([...baseRecordTypes(), ...ledgerRecordTypes()]),
    // BENCH_LEDGER_RULES=0 leaves the ledger's write-time rules out, to see what they cost.
    authorizers: process.env.BENCH_LEDGER_RULES === '0' ? [genesisPolicy()] : [genesisPolicy(), ledgerAuthorizer(members)]
  })
}

async function workerMain (init: WorkerInit): Promise<void> {
  const port = parentPort
  if (port === null) return
  const authors = init.authors.map((bytes) => importIdentity(bytes))
  // Sign: each author's records, in seq order, interleaved round-robin as a peer would send them.
  const scratch = ledgerLog()
  await scratch.start()
  await scratch.ingest(init.genesis)
  const spaceId = scratch.spaces()[0]
  const period = periodOf([Date.now(), 0])
  const perAuthor: Uint8Array[][] = authors.map(() => [])
  for (let i = 0; i < init.count; i++) {
    const a = i % authors.length
    const e = await scratch.append(authors[a], spaceId, 'contrib/record', {
      task: `t${i % 1000}`, kind: 'work', effort: 100 + (i % 900), summary: `contribution ${i}`, evidence: [], period
    })
    perAuthor[a].push(e.bytes)
  }
  await scratch.stop()
  const entries: Uint8Array[] = []
  for (let i = 0; entries.length < init.count; i++) for (const list of perAuthor) if (i < list.length) entries.push(list[i])
  const keys = new Map<string, KeyObject>()
  const checks = entries.map((bytes) => {
    const entry = decode<Entry>(bytes)
    let key = keys.get(entry.author)
    if (key === undefined) keys.set(entry.author, key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKeyOf(entry.author)]), format: 'der', type: 'spki' }))
    return { key, message: signingBytes(unsignedFields(entry)), sig: entry.sig }
  })
  port.postMessage({ type: 'ready', bytes: entries.reduce((n, e) => n + e.byteLength, 0), entries: entries.length } satisfies Reply)

  port.on('message', (command: Command) => {
    void (async () => {
      try {
        const start = performance.now()
        if (command === 'native') {
          for (const c of checks) if (!verify(null, c.message, c.key, c.sig)) throw new BenchSetupError('baseline: a signature did not verify')
        } else {
          const log = ledgerLog()
          await log.start()
          const g = await log.ingest(init.genesis)
          if (g.status !== 'added') throw new BenchSetupError(`genesis ${g.status}`)
          if (command === 'ingest') {
            for (let i = 0; i < entries.length; i += BATCH) {
              for (const r of await log.ingestMany(entries.slice(i, i + BATCH), { durable: false })) {
                if (r.status === 'rejected') throw r.reason as Error
                if (r.value.status !== 'added') throw new BenchSetupError(`entry ${r.value.status}`)
              }
            }
          } else {
            for (const bytes of entries) {
              const r = await log.ingest(bytes, { durable: false })
              if (r.status !== 'added') throw new BenchSetupError(`entry ${r.status}`)
            }
          }
          await log.flush()
          await log.stop()
        }
        port.postMessage({ type: 'done', ms: performance.now() - start } satisfies Reply)
      } catch (err) {
        port.postMessage({ type: 'error', message: (err as Error).message } satisfies Reply)
      }
    })()
  })
}

if (!isMainThread && (workerData as { ledgerVerify?: WorkerInit } | undefined)?.ledgerVerify !== undefined) {
  await workerMain((workerData as { ledgerVerify: WorkerInit }).ledgerVerify)
}

function next (worker: Worker): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: Reply): void => {
      cleanup()
      if (m.type === 'error') reject(new BenchSetupError(m.message))
      else resolve(m)
    }
    const onError = (err: Error): void => { cleanup(); reject(err) }
    const cleanup = (): void => { worker.off('message', onMessage); worker.off('error', onError) }
    worker.on('message', onMessage)
    worker.on('error', onError)
  })
}

export default async function ledgerVerify (): Promise<BenchResult[]> {
  const authors: Identity[] = await Promise.all(Array.from({ length: WORKERS * AUTHORS_PER_WORKER }, async () => await generateIdentity()))
  const setupLog = ledgerLog()
  await setupLog.start()
  const genesis = await setupLog.createSpace(authors[0], {
    kind: 'ledger', name: 'bench ledger', policy: { write: 'listed', writers: authors.map((a) => a.id) }, encrypted: false,
    nonce: crypto.getRandomValues(new Uint8Array(16))
  })
  await setupLog.stop()

  const setupStart = performance.now()
  const workers = Array.from({ length: WORKERS }, (_, w) => {
    const count = Math.floor(N / WORKERS) + (w < N % WORKERS ? 1 : 0)
    const mine = authors.slice(w * AUTHORS_PER_WORKER, (w + 1) * AUTHORS_PER_WORKER).map((a) => exportIdentity(a))
    return new Worker(new URL(import.meta.url), { workerData: { ledgerVerify: { genesis: genesis.bytes, authors: mine, count } satisfies WorkerInit } })
  })
  const ready = await Promise.all(workers.map(next)) as Array<Extract<Reply, { type: 'ready' }>>
  const setupMs = performance.now() - setupStart
  const total = ready.reduce((n, r) => n + r.entries, 0)
  const bytes = ready.reduce((n, r) => n + r.bytes, 0)
  if (total !== N) throw new BenchSetupError(`workers hold ${total} entries, not ${N}`)

  // One round: every worker at once; the rate is all entries over the wall time of the slowest.
  const round = async (command: Command): Promise<number> => {
    const watch = stopwatch()
    const replies = workers.map(next)
    for (const w of workers) w.postMessage(command)
    await Promise.all(replies)
    return N / (watch.stop() / 1000)
  }

  try {
    const samples = await compare({
      rounds: rounds(5),
      baseline: async () => await round('native'),
      measured: { ingest: async () => await round('ingest'), one: async () => await round('ingest-one') }
    })
    const ours = samples.measured.ingest
    const native = samples.baseline
    const common = {
      unit: 'entries/s',
      baselineName: 'node:crypto Ed25519 verify of the same signatures, same worker split',
      baselineUnit: 'verifications/s',
      baselines: native,
      params: {
        entries: N,
        workers: WORKERS,
        authors: authors.length,
        entryBytes: Math.round(bytes / N),
        store: 'memory, ingest durable: false, one flush per worker',
        batch: BATCH,
        authorizers: 'genesisPolicy + ledgerAuthorizer (members)',
        setupSigningSeconds: Math.round(setupMs / 100) / 10,
        perCoreIngest: Math.round(median(ours) / WORKERS)
      }
    }
    return [
      result({ ...common, name: 'ledger-verify', goal: '>= 0.75', values: ours }),
      result({
        ...common,
        name: 'ledger-verify-one',
        values: samples.measured.one,
        params: { ...common.params, batch: 1, perCoreIngest: Math.round(median(samples.measured.one) / WORKERS) }
      })
    ]
  } finally {
    await Promise.all(workers.map(async (w) => await w.terminate()))
  }
}
