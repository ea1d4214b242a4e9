import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import type { DaemonContext } from '../context.js'
import { json, problems } from './schemas.js'

const CheckSchema = z.object({ name: z.string(), ok: z.boolean(), detail: z.string() }).openapi('Check')

export interface Check {
  name: string
  ok: boolean
  detail: string
}

/** Peers known but not connected that the report names, at most. */
const MAX_UNCONNECTED = 20

type Scope = 'loopback' | 'private' | 'public' | 'relay' | 'name'

/** Where an address can be reached from, judged from its first component. */
export function addressScope (address: string): Scope {
  if (address.includes('/p2p-circuit')) return 'relay'
  const match = /^\/(ip4|ip6|dns4|dns6|dns|dnsaddr)\/([^/]+)/.exec(address)
  if (match === null) return 'name'
  const [, proto, host] = match
  if (proto.startsWith('dns')) return host === 'localhost' ? 'loopback' : 'name'
  if (proto === 'ip4') {
    const [a, b] = host.split('.').map(Number)
    if (a === 127) return 'loopback'
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127) || a === 0) return 'private'
    return 'public'
  }
  const h = host.toLowerCase()
  if (h === '::1') return 'loopback'
  if (h === '::' || h.startsWith('fe80:') || h.startsWith('fc') || h.startsWith('fd')) return 'private'
  return 'public'
}

/** Explains how reachable this node is and why it may have no peers. */
export async function doctorChecks (ctx: DaemonContext): Promise<Check[]> {
  const { node, config } = ctx
  const checks: Check[] = []
  const addresses = node.addresses()
  const scopes = addresses.map(addressScope)
  const peers = node.peers()
  const connected = new Set(peers.map((p) => p.id))

  if (addresses.length === 0) {
    checks.push({ name: 'listen', ok: false, detail: 'not listening on any address: peers cannot dial this node (check "listen" in config.json)' })
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
    : {
        name: 'bootstrap',
        ok: bootstrapConnected > 0,
        detail: `${bootstrapConnected} of ${config.bootstrap.length} bootstrap peers connected`
      })

  checks.push({ name: 'dht', ok: true, detail: config.dht ? `on (${dhtMode(ctx) ?? 'mode unknown'} mode)` : 'off: peers across networks are not discovered through the DHT' })

  checks.push({
    name: 'nat',
    ok: true,
    detail: config.nat
      ? `AutoNAT, relay and hole punching on; ${relayAddrs.length > 0 ? `reachable through relays at ${relayAddrs.join(', ')}` : 'no relay reservation yet'}`
      : 'AutoNAT, relay and hole punching off (set "nat": true to reach peers behind NAT)'
  })

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

  for (const check of await unconnectedPeers(ctx, connected)) checks.push(check)
  return checks
}

function dhtMode (ctx: DaemonContext): string | undefined {
  const dht = (ctx.node.libp2p.services as Record<string, { getMode?: () => string } | undefined>).dht
  return typeof dht?.getMode === 'function' ? dht.getMode() : undefined
}

/** Peers this node has heard of but is not connected to, each with its last dial error if known. */
async function unconnectedPeers (ctx: DaemonContext, connected: Set<string>): Promise<Check[]> {
  const checks: Check[] = []
  const known = await ctx.node.libp2p.peerStore.all()
  for (const peer of known) {
    const id = peer.id.toString()
    if (id === ctx.node.id || connected.has(id) || peer.addresses.length === 0) continue
    if (checks.length >= MAX_UNCONNECTED) break
    const addrs = peer.addresses.map((a) => a.multiaddr.toString())
    const error = ctx.dialErrors.get(id) ?? addrs.map((a) => ctx.dialErrors.get(`${a}/p2p/${id}`) ?? ctx.dialErrors.get(a)).find((e) => e !== undefined)
    checks.push({
      name: `peer ${id}`,
      ok: error === undefined,
      detail: `seen at ${addrs.join(', ')}, not connected${error === undefined ? '' : `; last dial error: ${error}`}`
    })
  }
  return checks
}

export function doctorRoutes (app: OpenAPIHono, ctx: DaemonContext): void {
  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/doctor',
    summary: 'Explain reachability: addresses, discovery, NAT, peers and dial failures',
    responses: { 200: json(z.object({ checks: z.array(CheckSchema) }), 'checks'), ...problems(401, 403) }
  }), async (c) => c.json({ checks: await doctorChecks(ctx) }, 200))
}
