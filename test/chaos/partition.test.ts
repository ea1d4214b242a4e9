import { afterEach, describe, expect, it } from 'vitest'
import { openSpace, startCluster, type Cluster } from '../../scripts/chaos/cluster.ts'

let cluster: Cluster | undefined
afterEach(async () => { await cluster?.stop() })

describe('chaos: partition and heal', () => {
  it('six nodes written on both sides of a partition hold identical logs after one bridging connection, nothing lost', async () => {
    cluster = await startCluster({ size: 6 })
    const { nodes } = cluster
    const genesis = await nodes[0].log.createSpace(nodes[0].identity, openSpace('partition'))
    for (const n of nodes) await n.node.join(genesis.space)
    await cluster.partition([[0, 1, 2, 3, 4, 5]])
    await cluster.waitConverged(genesis.space, 10_000)
    await cluster.disconnectAll()

    const sides = [[0, 1, 2], [3, 4, 5]]
    await cluster.partition(sides)
    const written: string[] = []
    await Promise.all(nodes.map(async (n) => {
      for (let k = 0; k < 25; k++) {
        const entry = await n.log.append(n.identity, genesis.space, 'space/note', { text: `${n.index}/${k}` })
        written.push(entry.id.toString())
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    }))
    // Apart, neither side has the other's entries.
    for (const side of sides) await cluster.waitConvergedAmong(genesis.space, side, 10_000)
    expect(nodes[0].log.vector(genesis.space)[nodes[5].identity.id]).toBeUndefined()

    await cluster.connect(2, 3)
    // Anti-entropy runs every 30 s: convergence well inside that came from the heal itself.
    await cluster.waitConverged(genesis.space, 10_000)
    for (const n of nodes) {
      for (const id of written) expect(await n.log.getById(id), `node ${n.index} lacks ${id}`).toBeDefined()
      expect(Object.values(n.log.vector(genesis.space)).reduce((sum, v) => sum + v.seq, 0)).toBe(1 + written.length)
    }
  }, 60_000)
})
