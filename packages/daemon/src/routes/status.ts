import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import type { DaemonContext } from '../context.js'
import { json, problems } from './schemas.js'

const StatusSchema = z.object({
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

const IdSchema = z.object({ id: z.string(), addresses: z.array(z.string()) }).openapi('Id')

export function statusRoutes (app: OpenAPIHono, ctx: DaemonContext): void {
  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/status',
    summary: 'The node: id, addresses, peers, spaces, uptime',
    responses: { 200: json(StatusSchema, 'status'), ...problems(401, 403) }
  }), (c) => c.json({
    id: ctx.node.id,
    version: ctx.version,
    addresses: ctx.node.addresses(),
    peers: ctx.node.peers().length,
    spaces: ctx.log.spaces().length,
    uptimeMs: Date.now() - ctx.startedAt,
    home: ctx.paths.home,
    api: ctx.url(),
    mdns: ctx.config.mdns
  }, 200))

  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/id',
    summary: "The node's identity and the addresses others can dial",
    responses: { 200: json(IdSchema, 'identity'), ...problems(401, 403) }
  }), (c) => c.json({ id: ctx.node.id, addresses: ctx.node.addresses() }, 200))
}
