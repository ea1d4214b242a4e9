/**
 * frame-bound: what a frame announcing 64 MiB costs a node. A peer opens a gossip stream
 * (`/meshsub/1.2.0`) and sends the length prefix, then pushes the body; timed from the prefix
 * until the stream is reset by the receiver. Baseline in the same run: one libp2p ping round
 * trip from a well-behaved peer, the least any answer from the receiver can take.
 */
import { Log, memoryStore } from '@mutual/log'
import { createMutualNode, type MutualNode } from '@mutual/node'
import { generateIdentity } from '@mutual/protocol'
import { oversizeFrame } from '../chaos/faults.ts'
import { BenchSetupError, compare, result, rounds, type BenchResult } from './lib.ts'

async function node (): Promise<{ node: MutualNode, log: Log }> {
  const log = new Log({ store: memoryStore() })
  await log.start()
  const n = createMutualNode({ identity: await generateIdentity(), log, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, dht: false, syncIntervalMs: 0 })
  await n.start()
  return { node: n, log }
}

export default async function frameBound (): Promise<BenchResult[]> {
  const receiver = await node()
  const sender = await node()
  await sender.node.connect(receiver.node.addresses()[0])
  const peer = receiver.node.libp2p.peerId
  let pushed = 0
  // The receiver penalizes an oversize frame (a few graylist the sender): a fresh sender each round.
  const frame = async (): Promise<number> => {
    const hostile = await node()
    await hostile.node.connect(receiver.node.addresses()[0])
    const stream = await hostile.node.libp2p.dialProtocol(peer, '/meshsub/1.2.0')
    const out = await oversizeFrame(stream)
    await hostile.node.stop()
    await hostile.log.stop()
    if (!out.reset) throw new BenchSetupError('the stream ended without a reset')
    pushed = Math.max(pushed, out.pushed)
    return out.ms
  }
  const ping = async (): Promise<number> => {
    const start = performance.now()
    await (sender.node.libp2p.services as { ping: { ping: (p: typeof peer) => Promise<number> } }).ping.ping(peer)
    return performance.now() - start
  }
  const { baseline, measured } = await compare({ rounds: rounds(7), baseline: ping, measured: { frame } })
  for (const n of [sender, receiver]) {
    await n.node.stop()
    await n.log.stop()
  }
  return [result({
    name: 'frame-bound',
    unit: 'ms from a 64 MiB length prefix to the stream reset',
    values: measured.frame,
    baselines: baseline,
    baselineName: 'one ping round trip on the same connection',
    baselineUnit: 'ms',
    goal: 'value < 10',
    params: { announcedBytes: 64 * 1024 * 1024, bound: 1024 * 1024 + 1024, mostBodyBytesSent: pushed }
  })]
}
