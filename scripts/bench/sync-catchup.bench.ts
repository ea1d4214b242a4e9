/**
 * sync-catchup: a node that was away catches up 10,000 entries from a peer over
 * /mutual/sync/1.0.0 (TCP on loopback), entries/s — beside the foundation's ingest rate: the same
 * entries ingested straight into a fresh log in the same run, with no network at all. The ratio
 * says what the protocol, framing and transport cost on top of validation and storage.
 */
import { Log, memoryStore, vectorsEqual } from '@mutual/log'
import { createMutualNode } from '@mutual/node'
import { generateIdentity } from '@mutual/protocol'
import { signedEntries } from './fixtures.ts'
import { compare, perSecond, result, rounds, stopwatch, type BenchResult } from './lib.ts'

const COUNT = Number(process.env.SYNC_ENTRIES ?? 10_000)

export default async function syncCatchup (): Promise<BenchResult[]> {
  const fixture = await signedEntries(COUNT, 4)
  const source = new Log({ store: memoryStore() })
  await source.start()
  for (const bytes of fixture.entries) await source.ingest(bytes, { durable: false })
  await source.flush()
  const sourceNode = createMutualNode({
    identity: await generateIdentity(), log: source, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, dht: false, syncIntervalMs: 0, exemptLoopback: true
  })
  await sourceNode.start()
  const address = sourceNode.addresses()[0]

  const catchUp = async (): Promise<number> => {
    const log = new Log({ store: memoryStore() })
    await log.start()
    const node = createMutualNode({
      identity: await generateIdentity(), log, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, dht: false, syncIntervalMs: 0, exemptLoopback: true
    })
    await node.start()
    await node.join(fixture.space)
    const watch = stopwatch()
    const peer = await node.connect(address)
    await node.syncWith(peer)
    const ms = watch.stop()
    if (!vectorsEqual(log.vector(fixture.space), source.vector(fixture.space))) throw new Error('catch-up incomplete')
    await node.stop()
    await log.stop()
    return perSecond(COUNT, ms)
  }

  const ingest = async (): Promise<number> => {
    const log = new Log({ store: memoryStore() })
    await log.start()
    const watch = stopwatch()
    for (const bytes of fixture.entries) await log.ingest(bytes, { durable: false })
    await log.flush()
    const ms = watch.stop()
    await log.stop()
    return perSecond(COUNT, ms)
  }

  const { baseline, measured } = await compare({ rounds: rounds(3), baseline: ingest, measured: { sync: catchUp } })
  await sourceNode.stop()
  await source.stop()
  return [result({
    name: 'sync-catchup',
    unit: 'entries/s',
    values: measured.sync,
    baselines: baseline,
    baselineName: 'Log.ingest of the same entries, no network',
    baselineUnit: 'entries/s',
    params: { entries: COUNT, authors: 4, store: 'memory' }
  })]
}
