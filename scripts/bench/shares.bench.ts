/**
 * `distribute` over 1,000,000 ledger entries of one period: 400,000 contributions by 1,000
 * members, 350,000 attestations, 150,000 endorsements, 99,000 consumer ratings by 200 consumers
 * and 1,000 allocation rounds. Time per distribution and memory (heap retained by the result,
 * growth of the process's peak RSS during the first distribution), beside a baseline in the same
 * run: a plain JavaScript pass summing effort per author over the same entries, the floor any
 * distribution needs (it must at least read every entry).
 *
 * The entries are built as SignedEntry objects without real signatures: `distribute` never checks
 * signatures (the log did that when the entries arrived), so each has a zero signature and the id
 * and bytes it would have with it (the CID of its DAG-CBOR encoding). Signing a million entries
 * would cost minutes of setup and change nothing measured.
 *
 * The fixture keeps about 1.9 GB live, so old-generation GC weighs on every round; with
 * `NODE_OPTIONS=--max-semi-space-size=64` a round took about a third less on the reference machine.
 */
import { CID, cidOf, encode, generateIdentity, type Entry, type Identity, type Role, type SignedEntry } from '@mutual/protocol'
import {
  CONTRIB_ALLOCATE, CONTRIB_ATTEST, CONTRIB_ENDORSE, CONTRIB_FEEDBACK, CONTRIB_RECORD, distribute, distributionHash,
  type Participants, type ValuationPolicy
} from '@mutual/ledger'
import { BenchSetupError, collectGarbage, compare, result, rounds, time, type BenchResult } from './lib.ts'

const N = Number(process.env.BENCH_N ?? 1_000_000)
const MEMBERS = 1000
const CONSUMERS = 200
const PERIOD = '2025-03'
const TASKS = 50_000
const MARCH = Date.UTC(2025, 2, 1)
const MONTH_MS = 31 * 86_400_000

const policy: ValuationPolicy = {
  version: 1,
  period: 'month',
  weights: { effort: 3000, quality: 3000, satisfaction: 1500, endorsement: 1000, allocation: 1500 },
  minAttestations: 1,
  allocationBudget: 100,
  agentShare: 'operator'
}

const mib = (bytes: number): number => Math.round(bytes / 2 ** 20)

async function fixture (): Promise<{ entries: SignedEntry[], participants: Participants, counts: Record<string, number> }> {
  const members: Identity[] = await Promise.all(Array.from({ length: MEMBERS }, async () => await generateIdentity()))
  const consumers: Identity[] = await Promise.all(Array.from({ length: CONSUMERS }, async () => await generateIdentity()))
  const roles = new Map<string, readonly Role[]>()
  for (const m of members) roles.set(m.id, ['member', 'reviewer'])
  for (const c of consumers) roles.set(c.id, ['consumer'])
  const participants: Participants = { roles: (id) => roles.get(id) ?? [], operatorOf: () => undefined }

  const space = cidOf(encode({ bench: 'shares ledger' }))
  const seqs = new Map<string, number>()
  const sig = new Uint8Array(64)
  const entries: SignedEntry[] = []
  const add = (author: string, type: string, body: unknown, i: number, refs?: CID[]): SignedEntry => {
    const seq = (seqs.get(author) ?? 0) + 1
    seqs.set(author, seq)
    const entry: Entry = {
      v: 1, space, author, seq, prev: null, ts: [MARCH + Math.floor((i * 2654435761) % MONTH_MS), 0], type, body,
      ...(refs === undefined ? {} : { refs }), sig
    } as Entry
    const bytes = encode(entry)
    const signed: SignedEntry = { id: cidOf(bytes), space: space.toString(), bytes, entry }
    entries.push(signed)
    return signed
  }

  const counts = { records: Math.round(N * 0.4), attestations: Math.round(N * 0.35), endorsements: Math.round(N * 0.15), allocations: Math.min(MEMBERS, Math.round(N * 0.001)), feedback: 0 }
  counts.feedback = N - counts.records - counts.attestations - counts.endorsements - counts.allocations
  const records: SignedEntry[] = []
  for (let i = 0; i < counts.records; i++) {
    records.push(add(members[i % MEMBERS].id, CONTRIB_RECORD, {
      task: `t${i % TASKS}`, kind: 'work', effort: 100 + (i % 1900), summary: `contribution ${i}`, evidence: [], period: PERIOD
    }, i))
  }
  for (let j = 0; j < counts.attestations; j++) {
    const r = j % records.length
    const reviewer = members[(r % MEMBERS + 1 + (j % 7)) % MEMBERS]
    add(reviewer.id, CONTRIB_ATTEST, { contribution: records[r].id, verdict: j % 10 === 0 ? 'reject' : 'accept', quality: j % 6, note: '' }, j, [records[r].id])
  }
  for (let j = 0; j < counts.endorsements; j++) {
    const r = (j * 2) % records.length
    add(members[(r % MEMBERS + 3) % MEMBERS].id, CONTRIB_ENDORSE, { contribution: records[r].id }, j, [records[r].id])
  }
  for (let j = 0; j < counts.feedback; j++) {
    const c = j % CONSUMERS
    const k = Math.floor(j / CONSUMERS)
    add(consumers[c].id, CONTRIB_FEEDBACK, { task: `t${(k * 97 + c * 13) % TASKS}`, satisfaction: 1 + (j % 5) }, j)
  }
  for (let j = 0; j < counts.allocations; j++) {
    const points: Array<[string, number]> = []
    for (let p = 1; p <= 5; p++) points.push([members[(j + p * 37) % MEMBERS].id, 20])
    add(members[j % MEMBERS].id, CONTRIB_ALLOCATE, { period: PERIOD, points }, MONTH_MS - 1 - j)
  }
  if (entries.length !== N) throw new BenchSetupError(`built ${entries.length} entries, not ${N}`)
  return { entries, participants, counts }
}

export default async function shares (): Promise<BenchResult[]> {
  const built = performance.now()
  const { entries, participants, counts } = await fixture()
  const buildSeconds = Math.round((performance.now() - built) / 100) / 10

  // Memory of one distribution: heap retained by its result, and how far the process's peak RSS rose.
  collectGarbage()
  const heapBefore = process.memoryUsage().heapUsed
  const rssBefore = process.memoryUsage().rss
  const maxRssBefore = process.resourceUsage().maxRSS * 1024
  const first = performance.now()
  let d: ReturnType<typeof distribute> | undefined = distribute(policy, entries, participants, PERIOD)
  const firstMs = performance.now() - first
  const maxRssAfter = process.resourceUsage().maxRSS * 1024
  const rssAfter = process.memoryUsage().rss
  collectGarbage()
  const heapRetained = process.memoryUsage().heapUsed - heapBefore
  const hashStart = performance.now()
  const hash = distributionHash(d)
  const hashMs = performance.now() - hashStart
  const shareLines = d.shares.length
  const inputs = d.inputs.length
  const counted = d.contributions.filter((c) => c.counted).length
  if (d.shares.reduce((n, s) => n + s.ppm, 0) !== 1_000_000) throw new BenchSetupError('shares do not sum to 1,000,000')
  d = undefined

  let sink = 0
  const samples = await compare({
    rounds: rounds(3),
    warmup: false,
    baseline: async () => await time(() => {
      const effort = new Map<string, number>()
      for (const e of entries) {
        if (e.entry.type !== CONTRIB_RECORD) continue
        const body = e.entry.body as { effort: number }
        effort.set(e.entry.author, (effort.get(e.entry.author) ?? 0) + body.effort)
      }
      sink += effort.size
    }),
    measured: {
      distribute: async () => await time(() => {
        const again = distribute(policy, entries, participants, PERIOD)
        if (distributionHash(again) !== hash) throw new BenchSetupError('distribution changed between rounds')
      })
    }
  })
  if (sink === 0) throw new BenchSetupError('baseline summed nothing')

  return [result({
    name: 'shares',
    unit: 'ms per distribution (incl. hashing the result)',
    baselineName: 'plain JS pass summing effort per author over the same entries',
    baselineUnit: 'ms',
    values: samples.measured.distribute,
    baselines: samples.baseline,
    params: {
      entries: N,
      ...counts,
      members: MEMBERS,
      consumers: CONSUMERS,
      inputs,
      countedContributions: counted,
      shareLines,
      firstDistributionMs: Math.round(firstMs),
      firstHashMs: Math.round(hashMs),
      heapRetainedByResultMiB: mib(heapRetained),
      rssBeforeMiB: mib(rssBefore),
      rssAfterMiB: mib(rssAfter),
      peakRssGrowthMiB: mib(Math.max(0, maxRssAfter - maxRssBefore)),
      peakRssMiB: mib(maxRssAfter),
      fixtureBuildSeconds: buildSeconds,
      signatures: 'zero signatures; ids and bytes computed from each entry (distribute does not verify)'
    }
  })]
}
