/**
 * Sign + store: Log.append of notes by one identity, 100 appends in flight so that group commit
 * applies, each resolving once stored. Baseline: node:crypto Ed25519 signing of messages of the
 * same size, the floor under any append path.
 */
import { generateKeyPairSync, sign } from 'node:crypto'
import { Log, levelStore, memoryStore, type EntryStore } from '@mutual/log'
import { decode, generateIdentity, signingBytes, unsignedFields, type Entry, type Identity } from '@mutual/protocol'
import { genesisBody, noteBody } from './fixtures.ts'
import { compare, perSecond, pool, result, rounds, tempDir, time, type BenchResult } from './lib.ts'

const N = Number(process.env.BENCH_N ?? 20_000)
const IN_FLIGHT = 100

async function appendAll (store: EntryStore, identity: Identity): Promise<{ rate: number, messages: Uint8Array[] }> {
  const log = new Log({ store })
  await log.start()
  const { space } = await log.createSpace(identity, genesisBody([identity]))
  const messages: Uint8Array[] = new Array(N)
  const ms = await time(async () => {
    await pool(N, IN_FLIGHT, async (i) => {
      const signed = await log.append(identity, space, 'space/note', noteBody(i))
      messages[i] = signed.bytes
    })
  })
  await log.stop()
  return { rate: perSecond(N, ms), messages }
}

export default async function logAppend (): Promise<BenchResult[]> {
  const identity = await generateIdentity()
  // The baseline signs what append signed: the signing bytes of one run's entries.
  const { messages: entries } = await appendAll(memoryStore(), identity)
  const messages = entries.map((bytes) => signingBytes(unsignedFields(decode<Entry>(bytes))))
  const { privateKey } = generateKeyPairSync('ed25519')

  const samples = await compare({
    rounds: rounds(5),
    baseline: async () => perSecond(messages.length, await time(() => {
      for (const m of messages) sign(null, m, privateKey)
    })),
    measured: {
      memory: async () => (await appendAll(memoryStore(), identity)).rate,
      level: async () => {
        const dir = tempDir('append')
        try {
          return (await appendAll(levelStore({ path: dir.path }), identity)).rate
        } finally {
          dir.remove()
        }
      }
    }
  })

  const common = {
    unit: 'entries/s',
    baselineName: 'node:crypto Ed25519 sign, same-size messages',
    baselineUnit: 'signatures/s',
    params: {
      entries: N,
      inFlight: IN_FLIGHT,
      messageBytes: Math.round(messages.reduce((n, m) => n + m.byteLength, 0) / messages.length)
    }
  }
  return [
    result({ name: 'log-append', ...common, values: samples.measured.memory, baselines: samples.baseline, params: { ...common.params, store: 'memory' } }),
    result({ name: 'log-append-level', ...common, values: samples.measured.level, baselines: samples.baseline, params: { ...common.params, store: 'level (sync: true, the default)' } })
  ]
}
