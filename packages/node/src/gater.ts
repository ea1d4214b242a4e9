import type { ConnectionGater, PeerId } from '@libp2p/interface'

/** Refuses dials to and connections from blocked peers. */
export class BlockList {
  private readonly blocked: Set<string>

  constructor (peers: Iterable<string> = []) {
    this.blocked = new Set(peers)
  }

  add (peer: string): void {
    this.blocked.add(peer)
  }

  delete (peer: string): void {
    this.blocked.delete(peer)
  }

  has (peer: string): boolean {
    return this.blocked.has(peer)
  }

  gater (): ConnectionGater {
    const denied = async (peer: PeerId): Promise<boolean> => this.blocked.has(peer.toString())
    return {
      denyDialPeer: denied,
      denyInboundEncryptedConnection: denied,
      denyOutboundEncryptedConnection: denied,
      denyInboundUpgradedConnection: denied,
      denyOutboundUpgradedConnection: denied
    }
  }
}
