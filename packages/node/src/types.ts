import type { Libp2p } from '@libp2p/interface'
import type { Identity, SignedEntry } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import type { Registry } from 'prom-client'
import type { SyncStats } from './sync/session.js'

export interface MutualNodeInit {
  identity: Identity
  log: Log
  /** multiaddrs to listen on; default `/ip4/0.0.0.0/tcp/0` */
  listen?: string[]
  /**
   * multiaddrs announced besides the listen addresses, as given, never checked by AutoNAT: a
   * port forward's or a load balancer's public address, a DNS name (default none)
   */
  announce?: string[]
  /** multiaddrs dialled at start and kept connected */
  bootstrap?: string[]
  /** local network discovery (default true) */
  mdns?: boolean
  /** Kademlia DHT for finding peers across networks (default true) */
  dht?: boolean
  /**
   * AutoNAT, circuit relay v2 (client) and DCUtR hole punching (default false). With it, a public
   * listen address is announced once AutoNAT confirmed it; without it, as soon as the node listens.
   */
  nat?: boolean
  /** act as a circuit relay server for others (default false) */
  relayServer?: boolean
  /** periodic anti-entropy sync with every connected peer, ms (default 30,000; 0 disables) */
  syncIntervalMs?: number
  /** peer ids never dialled nor accepted */
  blocklist?: string[]
  /** connection limits */
  maxConnections?: number
  /** inbound connections accepted per second from one host (libp2p default is low; tests raise it) */
  inboundConnectionThreshold?: number
  /**
   * exempt loopback (127.0.0.0/8, ::1) from connection limits and from gossipsub's same-address
   * penalty (default false: a local process or proxy is limited like any peer). For tests and
   * local simulations that run many nodes on one machine.
   */
  exemptLoopback?: boolean
  /** how long a graylisted peer is disconnected and refused, ms (default 60,000) */
  graylistBackoffMs?: number
  /** Prometheus registry for libp2p's and Mutual's metrics */
  metricsRegistry?: Registry
  /**
   * whether entries of `space` may travel on its gossip topic, which anyone may subscribe to
   * (default: every space). A space only some may read, with bodies in clear, answers false:
   * this node then neither publishes nor forwards it there, and sends its own new entries by
   * sync sessions with its peers instead (which `mayRead` restricts).
   */
  gossipable?: (space: string) => boolean
  /** whether `peer` (an identity id) may read `space`; sync sends nothing of a space it may not (default: anyone) */
  mayRead?: (peer: string, space: string) => boolean
}

export interface PeerInfo {
  id: string
  addresses: string[]
  /** direction of the first open connection */
  direction: 'inbound' | 'outbound'
  /** gossipsub score */
  score: number
  /** round-trip time from the last ping, when known */
  latencyMs?: number
}

export type MutualNodeEvent =
  | { type: 'peer:connect', peer: string }
  | { type: 'peer:disconnect', peer: string }
  | { type: 'sync', peer: string, stats: SyncStats }
  | { type: 'gossip:rejected', peer: string, error: string }
  /** the peer's score fell below the graylist threshold: it was disconnected and is refused for `backoffMs` */
  | { type: 'peer:graylisted', peer: string, score: number, backoffMs: number }

/**
 * What AutoNAT found about one of this node's public addresses: `reachable` when peers dialled it
 * back, `unreachable` when enough peers on distinct networks could not (a firewall or NAT in the
 * way), `unchecked` until then. With `nat`, libp2p announces a public address only once reachable.
 */
export interface AddressReachability {
  address: string
  verdict: 'reachable' | 'unreachable' | 'unchecked'
}

/** A Mutual participant on the network: a libp2p node replicating the spaces of one log. */
export interface MutualNode {
  readonly id: string
  readonly libp2p: Libp2p
  start (): Promise<void>
  stop (): Promise<void>
  /** addresses others can dial, each ending in `/p2p/<id>` */
  addresses (): string[]
  /** this node's public listen addresses and what AutoNAT found about each (empty without `nat`) */
  reachability (): AddressReachability[]
  peers (): PeerInfo[]
  /** dials a multiaddr (`/ip4/…/tcp/…/p2p/…`) and syncs; resolves to the peer id */
  connect (address: string, options?: { signal?: AbortSignal }): Promise<string>
  /** replicates a space: subscribes to its topic and asks peers for it (also for spaces not held yet) */
  join (space: string): Promise<void>
  leave (space: string): void
  /** spaces this node replicates */
  joined (): string[]
  /** publishes an entry appended here to the space's topic */
  publish (entry: SignedEntry): Promise<void>
  /** runs one sync session with a connected peer */
  syncWith (peer: string, options?: { signal?: AbortSignal }): Promise<SyncStats>
  block (peer: string): Promise<void>
  unblock (peer: string): void
  subscribe (listener: (event: MutualNodeEvent) => void): () => void
}
