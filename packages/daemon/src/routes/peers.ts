import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import { multiaddr } from '@multiformats/multiaddr'
import { DialError } from '@mutual/node'
import type { DaemonContext } from '../context.js'
import { InvalidAddressError } from '../errors.js'
import { json, problems } from './schemas.js'

const PeerSchema = z.object({
  id: z.string(),
  addresses: z.array(z.string()),
  direction: z.enum(['inbound', 'outbound']),
  score: z.number(),
  latencyMs: z.number().optional()
}).openapi('Peer')

const ConnectSchema = z.object({
  address: z.string().min(1).max(1024).openapi({ example: '/ip4/192.0.2.7/tcp/4001/p2p/12D3KooW…' })
}).openapi('Connect')

/** How long a dial and the first sync may take before the request fails with DialError. */
const CONNECT_TIMEOUT_MS = 30_000
const MAX_DIAL_ERRORS = 256

export function peerRoutes (app: OpenAPIHono, ctx: DaemonContext): void {
  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/peers',
    summary: 'Connected peers',
    responses: { 200: json(z.object({ peers: z.array(PeerSchema) }), 'connected peers'), ...problems(401, 403) }
  }), (c) => c.json({ peers: ctx.node.peers() }, 200))

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/peers',
    summary: 'Dial a peer by multiaddr and sync with it',
    request: { body: { required: true, content: { 'application/json': { schema: ConnectSchema } } } },
    responses: { 200: json(z.object({ id: z.string() }), 'connected'), ...problems(400, 401, 403, 502) }
  }), async (c) => {
    const { address } = c.req.valid('json')
    try {
      multiaddr(address)
    } catch (err) {
      throw new InvalidAddressError(`"${address.slice(0, 128)}" is not a multiaddr: ${(err as Error).message}`)
    }
    const signal = AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(CONNECT_TIMEOUT_MS)])
    try {
      const id = await ctx.node.connect(address, { signal })
      ctx.dialErrors.delete(address)
      ctx.dialErrors.delete(id)
      return c.json({ id }, 200)
    } catch (err) {
      const e = dialFailure(err, address)
      if (e.name === 'DialError') remember(ctx.dialErrors, address, e.message)
      throw e
    }
  })
}

/** Keeps the last dial error per address and per peer id, for `doctor`; bounded. */
function remember (errors: Map<string, string>, address: string, message: string): void {
  const peer = /\/p2p\/([^/]+)$/.exec(address)?.[1]
  for (const key of peer === undefined ? [address] : [address, peer]) {
    errors.delete(key)
    errors.set(key, message)
  }
  while (errors.size > MAX_DIAL_ERRORS) errors.delete(errors.keys().next().value as string)
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
