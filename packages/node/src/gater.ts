import type { ConnectionGater, PeerId } from '@libp2p/interface'

/**
 * Refuses dials to and connections from blocked peers: those blocked for good (the user's block
 * list) and those suspended until a time (graylisted peers, for their back-off period).
 */
export class BlockList {
  private readonly blocked: Set<string>
  private readonly suspended = new Map<string, number>()

  constructor (peers: Iterable<string> = [], private readonly now: () => number = Date.now) {
    this.blocked = new Set(peers)
  }

  add (peer: string): void {
    this.blocked.add(peer)
  }

  delete (peer: string): void {
    this.blocked.delete(peer)
    this.suspended.delete(peer)
  }

  /** Refuses `peer` for `ms` from now (a later suspension only extends it). */
  suspend (peer: string, ms: number): void {
    const until = this.now() + ms
    if ((this.suspended.get(peer) ?? 0) < until) this.suspended.set(peer, until)
  }

  has (peer: string): boolean {
    if (this.blocked.has(peer)) return true
    const until = this.suspended.get(peer)
    if (until === undefined) return false
    if (until > this.now()) return true
    this.suspended.delete(peer)
    return false
  }

  gater (): ConnectionGater {
    const denied = async (peer: PeerId): Promise<boolean> => this.has(peer.toString())
    return {
      denyDialPeer: denied,
      denyInboundEncryptedConnection: denied,
      denyOutboundEncryptedConnection: denied,
      denyInboundUpgradedConnection: denied,
      denyOutboundUpgradedConnection: denied
    }
  }
}
