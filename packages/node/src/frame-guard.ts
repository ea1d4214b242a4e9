import type { GossipSub } from '@libp2p/gossipsub'
import type { PeerId, Stream } from '@libp2p/interface'

/** Errors of `it-length-prefixed` and `@libp2p/utils` raised from a frame's length prefix alone. */
const OVERSIZE = new Set(['InvalidDataLengthError', 'InvalidDataLengthLengthError'])

export function isOversizeFrame (err: unknown): boolean {
  return OVERSIZE.has((err as Error | undefined)?.name ?? '')
}

interface GossipSubInternals {
  streamsInbound: Map<string, { rawStream: Stream }>
  handlePeerReadStreamError: (err: unknown, peer: PeerId) => void
}

/**
 * Gossipsub refuses a frame from its length prefix (`maxInboundDataLength`) but then only closes
 * the inbound stream gracefully, and a graceful close lets the sender go on pushing the body it
 * announced. This resets the stream instead, so the rest is never read, and reports the peer.
 * It hooks the one place gossipsub handles a read error: `handlePeerReadStreamError`.
 */
export function resetOversizeFrames (pubsub: GossipSub, onOversize: (peer: PeerId, err: Error) => void): void {
  const internals = pubsub as unknown as GossipSubInternals
  const original = internals.handlePeerReadStreamError.bind(pubsub)
  internals.handlePeerReadStreamError = (err, peer) => {
    if (isOversizeFrame(err)) {
      internals.streamsInbound.get(peer.toString())?.rawStream.abort(err as Error)
      onOversize(peer, err as Error)
    }
    original(err, peer)
  }
}
