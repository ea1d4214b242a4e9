import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { gossipsub, StrictNoSign, type GossipSub } from '@libp2p/gossipsub'
import { mdns } from '@libp2p/mdns'
import { bootstrap } from '@libp2p/bootstrap'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { autoNATv2 } from '@libp2p/autonat-v2'
import { circuitRelayServer, circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { dcutr } from '@libp2p/dcutr'
import { prometheusMetrics } from '@libp2p/prometheus-metrics'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { Libp2p, PeerDiscovery, PeerId } from '@libp2p/interface'
import type { AddressManager } from '@libp2p/interface-internal'
import { GENESIS_TYPE, type SignedEntry } from '@mutual/protocol'
import { BlockList } from './gater.js'
import { Graylist } from './graylist.js'
import { resetOversizeFrames } from './frame-guard.js'
import { SpaceGossip, entryMessageId } from './gossip.js'
import { syncService, type SyncService } from './sync/service.js'
import { DialError, NodeNotStartedError } from './errors.js'
import type { AddressReachability, MutualNode, MutualNodeEvent, MutualNodeInit, PeerInfo } from './types.js'
import { addressScope } from './address-scope.js'
import type { SyncStats } from './sync/session.js'

/** The DHT of Mutual nodes only, apart from the public IPFS DHT. */
const DHT_PROTOCOL = '/mutual/kad/1.0.0'
/** Misbehaviour in sync costs this much gossipsub application score, decaying by half a minute. */
const SYNC_PENALTY = 20
const GRAYLIST_THRESHOLD = -80
/** Loopback, for `exemptLoopback`. */
const LOOPBACK = ['/ip4/127.0.0.0/ipcidr/8', '/ip6/::1/ipcidr/128']

class DefaultMutualNode implements MutualNode {
  readonly id: string
  private readonly init: MutualNodeInit
  private readonly blocklist: BlockList
  private readonly listeners = new Set<(event: MutualNodeEvent) => void>()
  private readonly penalties = new Map<string, { value: number, at: number }>()
  private node: Libp2p<{ pubsub: GossipSub, sync: SyncService, addressBook: AddressManager }> | undefined
  private gossip: SpaceGossip | undefined
  private unsubscribeLog: (() => void) | undefined
  private graylist: Graylist | undefined

  constructor (init: MutualNodeInit) {
    this.init = init
    this.id = init.identity.id
    this.blocklist = new BlockList(init.blocklist)
  }

  get libp2p (): Libp2p {
    return this.started().node
  }

  async start (): Promise<void> {
    if (this.node !== undefined) return
    const init = this.init
    const peerDiscovery: Array<(components: any) => PeerDiscovery> = []
    if (init.mdns ?? true) peerDiscovery.push(mdns({ interval: 5_000 }))
    if ((init.bootstrap ?? []).length > 0) peerDiscovery.push(bootstrap({ list: init.bootstrap ?? [], timeout: 100 }))
    const nat = init.nat ?? false
    const exemptLoopback = init.exemptLoopback ?? false
    const services: Record<string, any> = {
      identify: identify(),
      ping: ping(),
      pubsub: gossipsub({
        globalSignaturePolicy: StrictNoSign,
        msgIdFn: (message) => entryMessageId(message.data),
        allowPublishToZeroTopicPeers: true,
        ignoreDuplicatePublishError: true,
        maxInboundDataLength: 1024 * 1024 + 1024,
        scoreParams: {
          // Many peers on one address look like a Sybil attack, unless asked for (local tests).
          ...(exemptLoopback ? { IPColocationFactorWhitelist: new Set(['127.0.0.1', '::1']) } : {}),
          appSpecificScore: (peer) => -this.penalty(peer),
          appSpecificWeight: 1
        },
        scoreThresholds: { gossipThreshold: -10, publishThreshold: -50, graylistThreshold: GRAYLIST_THRESHOLD }
      }),
      // The address manager, for `reachability` (libp2p hands it to services only).
      addressBook: (components: { addressManager: AddressManager }) => components.addressManager,
      sync: syncService({
        log: init.log,
        interests: () => this.joined(),
        intervalMs: init.syncIntervalMs,
        onSession: (peer, stats) => { this.emit({ type: 'sync', peer, stats }) },
        onMisbehaving: (peer) => { this.penalize(peer) },
        ...(init.mayRead !== undefined ? { mayRead: init.mayRead } : {})
      })
    }
    if (init.dht ?? true) services.dht = kadDHT({ protocol: DHT_PROTOCOL, clientMode: false, peerInfoMapper: passthroughMapper })
    if (nat) {
      // AutoNAT v1 answers over the connection the request came on (the dial back finds it and
      // fails, then closes it); v2 dials back on a connection of its own.
      services.autonat = autoNATv2()
      services.dcutr = dcutr()
    }
    if (init.relayServer === true) services.relay = circuitRelayServer()
    const node = await createLibp2p({
      privateKey: init.identity.privateKey,
      // Announced as given, beside the listen addresses: the operator's word, not AutoNAT's.
      addresses: { listen: init.listen ?? ['/ip4/0.0.0.0/tcp/0'], appendAnnounce: (init.announce ?? []).map((a) => multiaddr(a).toString()) },
      transports: nat ? [tcp(), circuitRelayTransport()] : [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      peerDiscovery,
      services,
      connectionGater: this.blocklist.gater(),
      connectionManager: {
        maxConnections: init.maxConnections ?? 300,
        inboundConnectionThreshold: init.inboundConnectionThreshold ?? 5,
        // A local process or proxy can flood too: loopback is limited like any address unless asked.
        allow: exemptLoopback ? LOOPBACK : []
      },
      metrics: init.metricsRegistry === undefined ? undefined : prometheusMetrics({ registry: init.metricsRegistry, collectDefaultMetrics: false, preserveExistingMetrics: true })
    }) as unknown as Libp2p<{ pubsub: GossipSub, sync: SyncService, addressBook: AddressManager }>
    this.node = node
    if (!nat) announceListenAddresses(node.services.addressBook)
    this.gossip = new SpaceGossip({
      pubsub: node.services.pubsub,
      log: init.log,
      onGap: (peer) => { node.services.sync.request(peer) },
      gossipable: (space) => init.gossipable?.(space) ?? true,
      onRejected: (peer, error) => { this.rejected(peer.toString(), error) }
    })
    resetOversizeFrames(node.services.pubsub, (peer, error) => {
      this.penalize(peer.toString())
      this.rejected(peer.toString(), error)
    })
    const pubsub = node.services.pubsub as GossipSub & { getScore: (peer: string) => number, score: { scoreCache: Map<string, unknown> } }
    this.graylist = new Graylist({
      // Gossipsub caches scores for a heartbeat; a rejection must count at once.
      score: (peer) => {
        pubsub.score.scoreCache.delete(peer)
        return pubsub.getScore(peer)
      },
      threshold: GRAYLIST_THRESHOLD,
      backoffMs: init.graylistBackoffMs ?? 60_000,
      blocklist: this.blocklist,
      connected: () => node.getConnections().map((c) => c.remotePeer.toString()),
      hangUp: async (peer) => { await node.hangUp(peerIdFromString(peer)) },
      onGraylisted: (peer, score, backoffMs) => { this.emit({ type: 'peer:graylisted', peer, score, backoffMs }) }
    })
    this.graylist.start()
    // libp2p 3 does not dial what discovery finds (bootstrap and the DHT dial by themselves; mDNS does not).
    node.addEventListener('peer:discovery', (e) => {
      const { id, multiaddrs } = e.detail
      if (this.blocklist.has(id.toString()) || node.getConnections(id).length > 0 || multiaddrs.length === 0) return
      node.dial(multiaddrs, { signal: AbortSignal.timeout(10_000) }).catch(() => {})
    })
    node.addEventListener('peer:connect', (e) => { this.emit({ type: 'peer:connect', peer: e.detail.toString() }) })
    node.addEventListener('peer:disconnect', (e) => { this.emit({ type: 'peer:disconnect', peer: e.detail.toString() }) })
    for (const space of init.log.spaces()) this.gossip.join(space)
    this.unsubscribeLog = init.log.subscribe((event) => {
      if (event.type !== 'entry') return
      const { entry } = event
      // New spaces are replicated as they appear; this node's own entries go out by gossip.
      if (entry.entry.type === GENESIS_TYPE && !this.gossip?.has(entry.space)) void this.join(entry.space)
      if (entry.entry.author !== this.id) return
      if (init.gossipable?.(entry.space) === false) {
        // Not for a topic anyone may join: sessions with the peers (sync checks who may read).
        for (const conn of node.getConnections()) node.services.sync.request(conn.remotePeer)
      } else {
        this.publish(entry).catch(() => {})
      }
    })
  }

  async stop (): Promise<void> {
    const node = this.node
    if (node === undefined) return
    this.unsubscribeLog?.()
    this.graylist?.stop()
    this.node = undefined
    this.gossip = undefined
    await node.stop()
  }

  addresses (): string[] {
    return this.started().node.getMultiaddrs().map((ma) => ma.toString())
  }

  reachability (): AddressReachability[] {
    const now = Date.now()
    // Without AutoNAT nothing was checked (the listen addresses are announced as configured).
    if (!(this.init.nat ?? false)) return []
    return this.started().node.services.addressBook.getAddressesWithMetadata()
      .filter((a) => a.type === 'transport' && addressScope(a.multiaddr.toString()) === 'public')
      .map((a) => ({
        address: a.multiaddr.toString(),
        // An address AutoNAT gave up on stays unverified until its retry time (`expires`).
        verdict: a.verified ? 'reachable' : a.expires > now ? 'unreachable' : 'unchecked'
      }))
  }

  peers (): PeerInfo[] {
    const { node } = this.started()
    const byPeer = new Map<string, PeerInfo>()
    for (const conn of node.getConnections()) {
      const id = conn.remotePeer.toString()
      const pubsub = node.services.pubsub as GossipSub & { getScore: (peer: string) => number }
      const info: PeerInfo = byPeer.get(id) ?? { id, addresses: [], direction: conn.direction, score: pubsub.getScore(id) }
      info.addresses.push(conn.remoteAddr.toString())
      if (conn.rtt !== undefined) info.latencyMs = conn.rtt
      byPeer.set(id, info)
    }
    return [...byPeer.values()].sort((a, b) => a.id < b.id ? -1 : 1)
  }

  async connect (address: string, options: { signal?: AbortSignal } = {}): Promise<string> {
    const { node } = this.started()
    let ma
    try {
      ma = multiaddr(address)
    } catch (err) {
      throw new DialError(`not a multiaddr: ${address} (${(err as Error).message})`)
    }
    const peerText = ma.getComponents().findLast((c) => c.name === 'p2p')?.value
    if (peerText !== undefined && this.blocklist.has(peerText)) throw new DialError(`peer ${peerText} is blocked`)
    try {
      const conn = await node.dial(ma, { signal: options.signal ?? AbortSignal.timeout(10_000) })
      return conn.remotePeer.toString()
    } catch (err) {
      throw new DialError(`could not reach ${address}: ${(err as Error).message}`)
    }
  }

  async join (space: string): Promise<void> {
    const { node, gossip } = this.started()
    if (gossip.has(space)) return
    gossip.join(space)
    // Ask every connected peer for a space this node does not hold yet.
    for (const conn of node.getConnections()) node.services.sync.request(conn.remotePeer)
  }

  leave (space: string): void {
    this.started().gossip.leave(space)
  }

  joined (): string[] {
    return this.gossip?.joined() ?? []
  }

  async publish (entry: SignedEntry): Promise<void> {
    const { gossip } = this.started()
    if (!gossip.has(entry.space)) gossip.join(entry.space)
    await gossip.publish(entry.space, entry.bytes)
  }

  async syncWith (peer: string, options: { signal?: AbortSignal } = {}): Promise<SyncStats> {
    return await this.started().node.services.sync.syncWith(peerIdFromString(peer), options)
  }

  async block (peer: string): Promise<void> {
    this.blocklist.add(peer)
    await this.node?.hangUp(peerIdFromString(peer)).catch(() => {})
  }

  unblock (peer: string): void {
    this.blocklist.delete(peer)
  }

  subscribe (listener: (event: MutualNodeEvent) => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  private penalize (peer: string): void {
    this.penalties.set(peer, { value: this.penalty(peer) + SYNC_PENALTY, at: Date.now() })
    this.graylist?.soon(peer)
  }

  private rejected (peer: string, error: Error): void {
    this.emit({ type: 'gossip:rejected', peer, error: `${error.name}: ${error.message}` })
    this.graylist?.soon(peer)
  }

  private penalty (peer: string): number {
    const p = this.penalties.get(peer)
    if (p === undefined) return 0
    return p.value * 0.5 ** ((Date.now() - p.at) / 30_000)
  }

  private emit (event: MutualNodeEvent): void {
    for (const l of this.listeners) {
      try {
        l(event)
      } catch {
        // A listener's failure is its own.
      }
    }
  }

  private started (): { node: Libp2p<{ pubsub: GossipSub, sync: SyncService, addressBook: AddressManager }>, gossip: SpaceGossip } {
    if (this.node === undefined || this.gossip === undefined) throw new NodeNotStartedError('the node is not started')
    return { node: this.node, gossip: this.gossip }
  }
}

/**
 * libp2p announces a public address only once AutoNAT confirmed it. Without NAT traversal nothing
 * ever would: the addresses the node listens on, as the operator configured them, are announced
 * (what libp2p did before it asked AutoNAT). Observed addresses (what peers say they saw) are not.
 */
function announceListenAddresses (addressManager: AddressManager): void {
  for (const a of addressManager.getAddressesWithMetadata()) {
    if (a.type === 'transport' && !a.verified) addressManager.confirmObservedAddr(a.multiaddr, { type: 'transport', ttl: Infinity })
  }
}

export function createMutualNode (init: MutualNodeInit): MutualNode {
  return new DefaultMutualNode(init)
}

export type { PeerId }
