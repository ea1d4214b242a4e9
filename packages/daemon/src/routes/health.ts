import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import type { DaemonContext } from '../context.js'
import { bearerAuth, type SecurityInit } from '../security.js'
import { json, problems } from './schemas.js'

/**
 * Probes and metrics, outside `/api/v1`: `/healthz` (the process answers) and `/readyz` (node and
 * log started) need no token; `/metrics` does (Prometheus: `bearer_token_file` pointing at the
 * data directory's `api-token`).
 */
export function healthRoutes (app: OpenAPIHono, ctx: DaemonContext, security: SecurityInit): void {
  app.openapi(createRoute({
    method: 'get',
    path: '/healthz',
    summary: 'The daemon answers',
    security: [],
    responses: { 200: json(z.object({ ok: z.literal(true) }), 'alive') }
  }), (c) => c.json({ ok: true as const }, 200))

  app.openapi(createRoute({
    method: 'get',
    path: '/readyz',
    summary: 'Node and log are started',
    security: [],
    responses: {
      200: json(z.object({ ready: z.boolean() }), 'ready'),
      503: json(z.object({ ready: z.boolean() }), 'starting or stopping')
    }
  }), (c) => ctx.ready() ? c.json({ ready: true }, 200) : c.json({ ready: false }, 503))

  app.openapi(createRoute({
    method: 'get',
    path: '/metrics',
    summary: "Prometheus metrics: libp2p's and Mutual's",
    middleware: [bearerAuth(security)] as const,
    responses: {
      200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } },
      ...problems(401, 403)
    }
  }), async (c) => {
    const text = await ctx.metrics.registry.metrics()
    return c.text(text, 200, { 'content-type': ctx.metrics.registry.contentType })
  })
}
