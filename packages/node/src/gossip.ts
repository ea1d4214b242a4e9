import { createHash } from 'node:crypto'
import { TopicValidatorResult, type GossipSub } from '@libp2p/gossipsub'
import { createTopicScoreParams } from '@libp2p/gossipsub/score'
import type { PeerId } from '@libp2p/interface'
import type { Log } from '@mutual/log'

export const topicOf = (space: string): string => `/mutual/1/space/${space}`

/**
 * Message ids are the entry's multihash digest (sha2-256 of its bytes), so the same entry
 * arriving twice collapses whatever path it took, and gossipsub needs no signature of its own.
 */
export function entryMessageId (data: Uint8Array): Uint8Array {
  return createHash('sha256').update(data).digest()
}

/**
 * Per-topic scores: invalid entries cost a lot (squared by gossipsub), quiet topics cost
 * nothing (mesh delivery penalties are off: a space may be silent for days).
 */
export const SPACE_TOPIC_SCORE = createTopicScoreParams({
  topicWeight: 1,
  timeInMeshWeight: 0.01,
  timeInMeshQuantum: 1000,
  timeInMeshCap: 100,
  firstMessageDeliveriesWeight: 0.5,
  firstMessageDeliveriesDecay: 0.9,
  firstMessageDeliveriesCap: 20,
  meshMessageDeliveriesWeight: 0,
  meshFailurePenaltyWeight: 0,
  invalidMessageDeliveriesWeight: -50,
  invalidMessageDeliveriesDecay: 0.99
})

export interface SpaceGossipInit {
  pubsub: GossipSub
  log: Log
  /** a gossiped entry's predecessor is missing: fetch the gap from that peer */
  onGap: (peer: PeerId, space: string) => void
  onRejected: (peer: PeerId, error: Error) => void
  /** whether entries of a space may be forwarded on its topic (one only some may read, in clear, may not) */
  gossipable: (space: string) => boolean
}

/** Gossip per space: one topic each, validated by the log, scored so bad senders are graylisted. */
export class SpaceGossip {
  private readonly init: SpaceGossipInit
  private readonly spaces = new Set<string>()

  constructor (init: SpaceGossipInit) {
    this.init = init
  }

  join (space: string): void {
    if (this.spaces.has(space)) return
    this.spaces.add(space)
    const topic = topicOf(space)
    const pubsub = this.init.pubsub as GossipSub & { score: { params: { topics: Record<string, unknown> } } }
    pubsub.score.params.topics[topic] = SPACE_TOPIC_SCORE
    pubsub.topicValidators.set(topic, async (peer, message) => await this.validate(space, peer, message.data))
    pubsub.subscribe(topic)
  }

  leave (space: string): void {
    if (!this.spaces.delete(space)) return
    const topic = topicOf(space)
    this.init.pubsub.unsubscribe(topic)
    this.init.pubsub.topicValidators.delete(topic)
  }

  joined (): string[] {
    return [...this.spaces]
  }

  has (space: string): boolean {
    return this.spaces.has(space)
  }

  async publish (space: string, bytes: Uint8Array): Promise<void> {
    await this.init.pubsub.publish(topicOf(space), bytes)
  }

  /** The topic validator: Accept what extends a log, Ignore what is known or early, Reject the invalid. */
  private async validate (space: string, peer: PeerId, data: Uint8Array): Promise<TopicValidatorResult> {
    try {
      const { status } = await this.init.log.ingest(data, { durable: false, space })
      if (status === 'added' || status === 'fork') return this.init.gossipable(space) ? TopicValidatorResult.Accept : TopicValidatorResult.Ignore
      if (status === 'pending') this.init.onGap(peer, space)
      return TopicValidatorResult.Ignore
    } catch (err) {
      const error = err as Error & { transient?: boolean }
      if (error.transient === true || error.name === 'FrozenLogError' || error.name === 'LogClosedError') return TopicValidatorResult.Ignore
      this.init.onRejected(peer, error)
      return TopicValidatorResult.Reject
    }
  }
}
