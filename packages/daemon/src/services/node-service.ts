import { multiaddr } from '@multiformats/multiaddr'
import type { Log } from '@mutual/log'
import { DialError, addressScope, type AddressReachability, type MutualNode } from '@mutual/node'
import type { Config } from '../config.js'
import type { Check, Peer, Status } from '../contract/index.js'
import { InvalidAddressError } from '../errors.js'

export interface NodeServiceInit {
  version: string
  node: MutualNode
  log: Log
  config: Config
  home: string
  /** the API's base URL, once listening */
  url: () => string
  startedAt?: number
}

/** How long a dial and the first sync may take before a connect fails with DialError. */
const CONNECT_TIMEOUT_MS = 30_000
const MAX_DIAL_ERRORS = 256
/** Peers known but not connected that the doctor names, at most. */
const MAX_UNCONNECTED = 20

/** The node as users see it: status, peers, dialing by address, and why it may have no peers. */
export class NodeService {
  private readonly init: NodeServiceInit
  private readonly startedAt: number
  /** the last dial failure per peer id or address, for `doctor` */
  private readonly dialErrors = new Map<string, string>()

  constructor (init: NodeServiceInit) {
    this.init = init
    this.startedAt = init.startedAt ?? Date.now()
  }

  status (): Status {
    const { node, log, config } = this.init
    return {
      id: node.id,
      version: this.init.version,
      addresses: node.addresses(),
      peers: node.peers().length,
      spaces: log.spaces().length,
      uptimeMs: Date.now() - this.startedAt,
      home: this.init.home,
      api: this.init.url(),
      mdns: config.mdns
    }
  }

  id (): { id: string, addresses: string[] } {
    return { id: this.init.node.id, addresses: this.init.node.addresses() }
  }

  peers (): Peer[] {
    return this.init.node.peers()
  }

  /** Dials a peer by multiaddr (and syncs with it); InvalidAddressError or DialError otherwise. */
  async connect (address: string, options: { signal?: AbortSignal } = {}): Promise<{ id: string }> {
    try {
      multiaddr(address)
    } catch (err) {
      throw new InvalidAddressError(`"${address.slice(0, 128)}" is not a multiaddr: ${(err as Error).message}`)
    }
    const signal = AbortSignal.any([AbortSignal.timeout(CONNECT_TIMEOUT_MS), ...(options.signal === undefined ? [] : [options.signal])])
    try {
      const id = await this.init.node.connect(address, { signal })
      this.dialErrors.delete(address)
      this.dialErrors.delete(id)
      return { id }
    } catch (err) {
      const e = dialFailure(err, address)
      if (e.name === 'DialError') this.remember(address, e.message)
      throw e
    }
  }

  /** Explains how reachable this node is and why it may have no peers. */
  async doctor (): Promise<Check[]> {
    const { node, config } = this.init
    const checks: Check[] = []
    const addresses = node.addresses()
    const scopes = addresses.map(addressScope)
    const peers = node.peers()
    const connected = new Set(peers.map((p) => p.id))

    // With NAT traversal on, libp2p announces a public address only once AutoNAT confirmed it; it
    // listens there all the same (unless "announce" names it). Without, the listen addresses are
    // announced as configured.
    const unannounced = node.reachability().filter((r) => r.verdict !== 'reachable' && !addresses.includes(`${r.address}/p2p/${node.id}`)).map((r) => r.address)

    if (addresses.length === 0) {
      checks.push({ name: 'listen', ok: false, detail: 'not listening on any address: peers cannot dial this node (check "listen" in config.json)' })
    } else if (unannounced.length > 0) {
      checks.push({ name: 'listen', ok: true, detail: `listening on ${addresses.join(', ')}, and on ${unannounced.join(', ')} (not announced: AutoNAT has not confirmed it)` })
    } else if (scopes.every((s) => s === 'loopback')) {
      checks.push({ name: 'listen', ok: false, detail: `only loopback addresses (${addresses.join(', ')}): no other machine can reach this node; listen on /ip4/0.0.0.0/tcp/0 to be reachable` })
    } else {
      checks.push({ name: 'listen', ok: true, detail: `listening on ${addresses.join(', ')}` })
    }

    const publicAddrs = addresses.filter((_, i) => scopes[i] === 'public' || scopes[i] === 'name')
    const relayAddrs = addresses.filter((_, i) => scopes[i] === 'relay')
    const privateAddrs = addresses.filter((_, i) => scopes[i] === 'private')
    checks.push(publicAddrs.length > 0
      ? { name: 'public-address', ok: true, detail: `reachable from the internet at ${publicAddrs.join(', ')}` }
      : {
          name: 'public-address',
          ok: false,
          detail: privateAddrs.length > 0
            ? `only private addresses (${privateAddrs.join(', ')}): peers on other networks need port forwarding, a relay (nat: true) or to dial out to you`
            : 'no public address: peers on other networks cannot dial this node'
        })

    checks.push({ name: 'mdns', ok: true, detail: config.mdns ? 'on: peers on the local network are found automatically' : 'off: local peers are not discovered (enable "mdns" in config.json)' })

    const bootstrapIds = config.bootstrap.map((a) => /\/p2p\/([^/]+)$/.exec(a)?.[1])
    const bootstrapConnected = bootstrapIds.filter((id) => id !== undefined && connected.has(id)).length
    checks.push(config.bootstrap.length === 0
      ? { name: 'bootstrap', ok: true, detail: 'no bootstrap peers configured' }
      : { name: 'bootstrap', ok: bootstrapConnected > 0, detail: `${bootstrapConnected} of ${config.bootstrap.length} bootstrap peers connected` })

    checks.push({ name: 'dht', ok: true, detail: config.dht ? `on (${this.dhtMode() ?? 'mode unknown'} mode)` : 'off: peers across networks are not discovered through the DHT' })

    checks.push(config.nat
      ? natCheck(node.reachability(), relayAddrs)
      : { name: 'nat', ok: true, detail: 'AutoNAT, relay and hole punching off (set "nat": true to reach peers behind NAT)' })

    const isolated = !config.mdns && config.bootstrap.length === 0 && peers.length === 0
    checks.push({
      name: 'peers',
      ok: peers.length > 0,
      detail: peers.length > 0
        ? `${peers.length} connected`
        : isolated
          ? 'none connected, and no way to find any: enable mdns, add bootstrap addresses, or run `mutual connect <multiaddr>`'
          : 'none connected yet'
    })

    for (const check of await this.unconnectedPeers(connected)) checks.push(check)
    return checks
  }

  private dhtMode (): string | undefined {
    const dht = (this.init.node.libp2p.services as Record<string, { getMode?: () => string } | undefined>).dht
    return typeof dht?.getMode === 'function' ? dht.getMode() : undefined
  }

  /** Peers this node has heard of but is not connected to, each with its last dial error if known. */
  private async unconnectedPeers (connected: Set<string>): Promise<Check[]> {
    const checks: Check[] = []
    const known = await this.init.node.libp2p.peerStore.all()
    for (const peer of known) {
      const id = peer.id.toString()
      if (id === this.init.node.id || connected.has(id) || peer.addresses.length === 0) continue
      if (checks.length >= MAX_UNCONNECTED) break
      const addrs = peer.addresses.map((a) => a.multiaddr.toString())
      const error = this.dialErrors.get(id) ?? addrs.map((a) => this.dialErrors.get(`${a}/p2p/${id}`) ?? this.dialErrors.get(a)).find((e) => e !== undefined)
      checks.push({
        name: `peer ${id}`,
        ok: error === undefined,
        detail: `seen at ${addrs.join(', ')}, not connected${error === undefined ? '' : `; last dial error: ${error}`}`
      })
    }
    return checks
  }

  /** Keeps the last dial error per address and per peer id, for `doctor`; bounded. */
  private remember (address: string, message: string): void {
    const peer = /\/p2p\/([^/]+)$/.exec(address)?.[1]
    for (const key of peer === undefined ? [address] : [address, peer]) {
      this.dialErrors.delete(key)
      this.dialErrors.set(key, message)
    }
    while (this.dialErrors.size > MAX_DIAL_ERRORS) this.dialErrors.delete(this.dialErrors.keys().next().value as string)
  }
}

/** What AutoNAT found: public addresses peers dialled back, or could not, and relay reservations. */
function natCheck (reachability: AddressReachability[], relayAddrs: string[]): Check {
  const of = (verdict: AddressReachability['verdict']): string => reachability.filter((r) => r.verdict === verdict).map((r) => r.address).join(', ')
  const relays = relayAddrs.length > 0 ? `reachable through relays at ${relayAddrs.join(', ')}` : 'no relay reservation yet'
  const found = [
    of('reachable') === '' ? undefined : `peers dialled back ${of('reachable')}`,
    of('unreachable') === '' ? undefined : `peers on other networks could not dial back ${of('unreachable')}: a firewall or NAT blocks inbound connections (open the port, or rely on relays)`,
    of('unchecked') === '' ? undefined : `${of('unchecked')} not checked yet (needs peers that run AutoNAT)`
  ].filter((f) => f !== undefined)
  return {
    name: 'nat',
    ok: of('unreachable') === '' || relayAddrs.length > 0,
    detail: `AutoNAT, relay and hole punching on; ${found.length > 0 ? `${found.join('; ')}; ` : 'no public address to check; '}${relays}`
  }
}

/**
 * Reports a failed connect by kind: the address was bad (400) or the peer unreachable (502).
 * libp2p's own errors (timeouts, refused connections, failed handshakes) all mean the latter.
 */
function dialFailure (err: unknown, address: string): Error {
  const e = err as Error
  if (['InvalidAddressError', 'DialError', 'NodeNotStartedError'].includes(e.name)) return e
  if (/Multiaddr|InvalidParameters|InvalidPeerId/.test(e.name)) return new InvalidAddressError(`${address.slice(0, 128)}: ${e.message}`, { cause: e })
  return new DialError(`cannot reach ${address.slice(0, 128)}: ${e.message}`, { cause: e })
}
