import { createRoute, z } from '@hono/zod-openapi'
import { body, json, problems } from './common.js'

/** The node: status, identity, peers, reachability, the event stream and the probes. */

export const StatusSchema = z.object({
  id: z.string(),
  version: z.string(),
  addresses: z.array(z.string()),
  peers: z.number().int(),
  spaces: z.number().int(),
  uptimeMs: z.number().int(),
  home: z.string(),
  api: z.string(),
  mdns: z.boolean()
}).openapi('Status')

export const IdSchema = z.object({ id: z.string(), addresses: z.array(z.string()) }).openapi('Id')

export const PeerSchema = z.object({
  id: z.string(),
  addresses: z.array(z.string()),
  direction: z.enum(['inbound', 'outbound']),
  score: z.number(),
  latencyMs: z.number().optional()
}).openapi('Peer')

export const ConnectSchema = z.object({
  address: z.string().min(1).max(1024).openapi({ example: '/ip4/192.0.2.7/tcp/4001/p2p/12D3KooW…' })
}).openapi('Connect')

export const CheckSchema = z.object({ name: z.string(), ok: z.boolean(), detail: z.string() }).openapi('Check')

export const EventsHeadersSchema = z.object({
  'last-event-id': z.string().max(32).optional().openapi({ description: 'replay buffered events after this id' })
})

export const nodeRoutes = {
  status: createRoute({
    method: 'get',
    path: '/api/v1/status',
    summary: 'The node: id, addresses, peers, spaces, uptime',
    responses: { 200: json(StatusSchema, 'status'), ...problems(401, 403) }
  }),
  id: createRoute({
    method: 'get',
    path: '/api/v1/id',
    summary: "The node's identity and the addresses others can dial",
    responses: { 200: json(IdSchema, 'identity'), ...problems(401, 403) }
  }),
  peers: createRoute({
    method: 'get',
    path: '/api/v1/peers',
    summary: 'Connected peers',
    responses: { 200: json(z.object({ peers: z.array(PeerSchema) }), 'connected peers'), ...problems(401, 403) }
  }),
  connect: createRoute({
    method: 'post',
    path: '/api/v1/peers',
    summary: 'Dial a peer by multiaddr and sync with it',
    request: { body: body(ConnectSchema) },
    responses: { 200: json(z.object({ id: z.string() }), 'connected'), ...problems(400, 401, 403, 502) }
  }),
  doctor: createRoute({
    method: 'get',
    path: '/api/v1/doctor',
    summary: 'Explain reachability: addresses, discovery, NAT, peers and dial failures',
    responses: { 200: json(z.object({ checks: z.array(CheckSchema) }), 'checks'), ...problems(401, 403) }
  }),
  events: createRoute({
    method: 'get',
    path: '/api/v1/events',
    summary: 'Server-Sent Events: entry, fork, frozen, peer:connect, peer:disconnect, sync, board, claims, assignment',
    description: '`board` ({ board, origin: local | remote }) when a board\'s document changes; `claims` ({ board }) when a claim or release is taken in; `assignment` ({ board, task, assignee (null: cleared), by, entry, origin: local | remote }) when a task/assign entry is taken in. Each event has an increasing `id`; reconnecting with `Last-Event-ID` replays the buffered events after it (the last 1000). A keep-alive comment comes every 15 s.',
    request: { headers: EventsHeadersSchema },
    responses: {
      200: { description: 'an event stream', content: { 'text/event-stream': { schema: z.string() } } },
      ...problems(401, 403)
    }
  })
}

/** Probes and metrics, outside `/api/v1`. */
export const probeRoutes = {
  healthz: createRoute({
    method: 'get',
    path: '/healthz',
    summary: 'The daemon answers',
    security: [],
    responses: { 200: json(z.object({ ok: z.literal(true) }), 'alive') }
  }),
  readyz: createRoute({
    method: 'get',
    path: '/readyz',
    summary: 'Node and log are started',
    security: [],
    responses: {
      200: json(z.object({ ready: z.boolean() }), 'ready'),
      503: json(z.object({ ready: z.boolean() }), 'starting or stopping')
    }
  })
}

export type Status = z.infer<typeof StatusSchema>
export type Peer = z.infer<typeof PeerSchema>
export type Check = z.infer<typeof CheckSchema>
