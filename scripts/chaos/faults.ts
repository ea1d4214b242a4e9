/**
 * Faults for the chaos suite, put between real libp2p nodes: flaky gossip links that drop, delay
 * and so reorder a share of the frames a node takes in, and frames far over a protocol's bound.
 */
import { TopicValidatorResult, type GossipSub } from '@libp2p/gossipsub'
import type { Stream } from '@libp2p/interface'
import { topicOf, type MutualNode } from '@mutual/node'
import { until } from './cluster.ts'

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
export function prng (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface FlakyInit {
  random: () => number
  /** share of gossip frames dropped (never validated, never forwarded) */
  drop: number
  /** frames kept are held up to this long before validation, so they overtake each other */
  maxDelayMs: number
}

/**
 * Makes a node's gossip on `space` flaky: its topic validator is wrapped so a share of frames
 * is dropped and the rest delayed by a random time. Returns the function that restores it.
 * The node's own protocol logic (gap detection, sync) is what has to repair the damage.
 */
export function flakyGossip (node: MutualNode, space: string, init: FlakyInit): { restore: () => void, dropped: () => number } {
  const validators = (node.libp2p.services.pubsub as GossipSub).topicValidators
  const topic = topicOf(space)
  const original = validators.get(topic)
  if (original === undefined) throw new Error(`node ${node.id} does not replicate ${space}`)
  let dropped = 0
  validators.set(topic, async (peer, message) => {
    if (init.random() < init.drop) {
      dropped++
      return TopicValidatorResult.Ignore
    }
    await new Promise((resolve) => setTimeout(resolve, init.random() * init.maxDelayMs))
    return await original(peer, message)
  })
  return { restore: () => { validators.set(topic, original) }, dropped: () => dropped }
}

/**
 * Announces a frame of 64 MiB on a fresh stream, then pushes its body until the stream ends;
 * resolves to how many body bytes the stream took, how it ended, and when (ms from the prefix).
 */
export async function oversizeFrame (stream: Stream): Promise<{ pushed: number, reset: boolean, ms: number }> {
  const total = 64 * 1024 * 1024
  const prefix = new Uint8Array([0x80, 0x80, 0x80, 0x20]) // varint of 64 MiB
  const chunk = new Uint8Array(64 * 1024)
  let ended: { reset: boolean, ms: number } | undefined
  const start = performance.now()
  stream.addEventListener('close', (e) => { ended = { reset: (e as Event & { error?: Error }).error !== undefined, ms: performance.now() - start } })
  stream.send(prefix)
  let pushed = 0
  while (ended === undefined && pushed < total) {
    try {
      if (!stream.send(chunk)) await stream.onDrain({ signal: AbortSignal.timeout(10_000) })
    } catch {
      break // the stream was reset under the write
    }
    pushed += chunk.byteLength
  }
  await until(() => ended !== undefined, 10_000, 'the stream to end')
  return { pushed, reset: ended!.reset, ms: ended!.ms }
}
