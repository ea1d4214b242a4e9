/**
 * A cluster of real Mutual nodes in one process (libp2p over TCP on 127.0.0.1, in-memory logs),
 * for the chaos suite and the benchmarks: partition it into groups, heal it, wait until every
 * log holds the same entries. Loopback is exempted from connection limits on purpose: many local
 * nodes dial one address.
 */
import { Log, memoryStore, vectorsEqual, type LogInit } from '@mutual/log'
import { createMutualNode, type MutualNode, type MutualNodeInit } from '@mutual/node'
import { generateIdentity, type GenesisBody, type Identity } from '@mutual/protocol'

export interface ClusterNode {
  index: number
  identity: Identity
  log: Log
  node: MutualNode
}

export interface ClusterInit {
  size: number
  /** given to every node (default: no mDNS, no DHT, anti-entropy every 30 s as in production) */
  node?: Partial<MutualNodeInit>
  /** each node's log options besides the in-memory store (asked once per node) */
  log?: () => Partial<LogInit>
}

export interface Cluster {
  nodes: ClusterNode[]
  /** connects each group as a chain of its members (a, b, c: a–b, b–c); nodes of different groups stay apart */
  partition: (groups: number[][]) => Promise<void>
  /** disconnects every node from every other */
  disconnectAll: () => Promise<void>
  connect: (a: number, b: number) => Promise<void>
  /** every node's vector of `space` is the same (or every one of `among`) */
  converged: (space: string, among?: number[]) => boolean
  /** polls until converged; rejects naming the laggards after `timeoutMs` */
  waitConverged: (space: string, timeoutMs: number) => Promise<void>
  /** polls until the nodes `among` agree */
  waitConvergedAmong: (space: string, among: number[], timeoutMs: number) => Promise<void>
  stop: () => Promise<void>
}

export function openSpace (name = 'chaos'): GenesisBody {
  return { kind: 'raw', name, policy: { write: 'anyone', writers: [] }, encrypted: false, nonce: crypto.getRandomValues(new Uint8Array(8)) }
}

export async function startCluster (init: ClusterInit): Promise<Cluster> {
  const nodes: ClusterNode[] = []
  for (let index = 0; index < init.size; index++) {
    const identity = await generateIdentity()
    const log = new Log({ store: memoryStore(), ...init.log?.() })
    await log.start()
    const node = createMutualNode({
      identity, log, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, dht: false, syncIntervalMs: 30_000, exemptLoopback: true, ...init.node
    })
    await node.start()
    nodes.push({ index, identity, log, node })
  }
  const connect = async (a: number, b: number): Promise<void> => { await nodes[a].node.connect(nodes[b].node.addresses()[0]) }
  const disconnectAll = async (): Promise<void> => {
    await Promise.all(nodes.map(async (n) => {
      await Promise.all(n.node.libp2p.getConnections().map(async (c) => { await c.close() }))
    }))
    await until(() => nodes.every((n) => n.node.libp2p.getConnections().length === 0), 10_000, 'every connection to close')
  }
  const converged = (space: string, among = nodes.map((n) => n.index)): boolean =>
    among.every((i) => vectorsEqual(nodes[i].log.vector(space), nodes[among[0]].log.vector(space)))
  return {
    nodes,
    connect,
    disconnectAll,
    converged,
    partition: async (groups) => {
      for (const group of groups) for (let i = 1; i < group.length; i++) await connect(group[i - 1], group[i])
    },
    waitConverged: async (space, timeoutMs) => {
      await until(() => converged(space), timeoutMs, () => {
        const differing = nodes.filter((n) => !vectorsEqual(n.log.vector(space), nodes[0].log.vector(space))).map((n) => n.index)
        return `node vectors to match (differing from node 0: ${differing.join(', ')})`
      })
    },
    waitConvergedAmong: async (space, among, timeoutMs) => {
      await until(() => converged(space, among), timeoutMs, `nodes ${among.join(', ')} to agree`)
    },
    stop: async () => {
      await Promise.all(nodes.map(async (n) => {
        await n.node.stop()
        await n.log.stop()
      }))
    }
  }
}

/** Polls `check` every 10 ms until it holds; rejects after `timeoutMs`. */
export async function until (check: () => boolean | Promise<boolean>, timeoutMs: number, what: string | (() => string)): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
