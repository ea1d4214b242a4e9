/**
 * partition-heal: five nodes (TCP on loopback, one process) split into sides of three and two,
 * each side a chain; while apart, writers append notes; then one connection bridges the sides.
 * Timed from that dial until every node's version vector is the same. Measured: both sides
 * wrote (the two-sided partition). Baseline in the same run: only one side wrote (the other was
 * paused). Anti-entropy runs every 30 s, as in production, so it plays no part in either.
 */
import { compare, result, rounds, type BenchResult } from './lib.ts'
import { openSpace, startCluster } from '../chaos/cluster.ts'

const WRITE_MS = Number(process.env.PARTITION_WRITE_MS ?? 3_000)
const INTERVAL_MS = 20
const SIDES = [[0, 1, 2], [3, 4]]

async function healTime (writingSides: number[][]): Promise<number> {
  const cluster = await startCluster({ size: 5 })
  try {
    const { nodes } = cluster
    const genesis = await nodes[0].log.createSpace(nodes[0].identity, openSpace('partition-heal'))
    for (const n of nodes) await n.node.join(genesis.space)
    await cluster.partition([[0, 1, 2, 3, 4]])
    await cluster.waitConverged(genesis.space, 10_000)
    await cluster.disconnectAll()
    await cluster.partition(SIDES)
    const writers = writingSides.flat()
    const end = Date.now() + WRITE_MS
    await Promise.all(writers.map(async (i) => {
      for (let k = 0; Date.now() < end; k++) {
        await nodes[i].log.append(nodes[i].identity, genesis.space, 'space/note', { text: `${i}/${k}` })
        await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS))
      }
    }))
    // Each side settles on its own first: what is timed is the heal, not the last write's gossip.
    for (const side of SIDES) await cluster.waitConvergedAmong(genesis.space, side, 30_000)
    const start = performance.now()
    await cluster.connect(2, 3)
    await cluster.waitConverged(genesis.space, 60_000)
    return performance.now() - start
  } finally {
    await cluster.stop()
  }
}

export default async function partitionHeal (): Promise<BenchResult[]> {
  const { baseline, measured } = await compare({
    rounds: rounds(3),
    warmup: false,
    baseline: async () => await healTime([SIDES[0]]),
    measured: { twoSided: async () => await healTime(SIDES) }
  })
  return [result({
    name: 'partition-heal',
    unit: 'ms until every vector matches',
    values: measured.twoSided,
    baselines: baseline,
    baselineName: 'one-sided: only the side of three wrote while apart',
    baselineUnit: 'ms',
    goal: 'value <= 3000',
    params: { nodes: 5, sides: '3 + 2', writeMs: WRITE_MS, intervalMs: INTERVAL_MS, antiEntropyMs: 30_000 }
  })]
}
