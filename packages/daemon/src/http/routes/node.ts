import type { OpenAPIHono } from '@hono/zod-openapi'
import { probeRoutes, routes } from '../../contract/index.js'
import type { HttpContext } from '../context.js'
import { bearerAuth } from '../security.js'
import { sessionId } from '../session-auth.js'
import { createRoute, z } from '@hono/zod-openapi'
import { problems } from '../../contract/index.js'

/** The node: status, identity, peers, doctor, the event stream; probes and metrics outside `/api/v1`. */
export function nodeRoutes (app: OpenAPIHono, ctx: HttpContext): void {
  const { node } = ctx.services
  app.openapi(routes.status, (c) => c.json(node.status(), 200))
  app.openapi(routes.id, (c) => c.json(node.id(), 200))
  app.openapi(routes.peers, (c) => c.json({ peers: node.peers() }, 200))
  app.openapi(routes.connect, async (c) => c.json(await node.connect(c.req.valid('json').address, { signal: c.req.raw.signal }), 200))
  app.openapi(routes.doctor, async (c) => c.json({ checks: await node.doctor() }, 200))

  app.openapi(routes.events, (c) => {
    const header = c.req.valid('header')['last-event-id']
    const last = header === undefined || !/^\d+$/.test(header.trim()) ? undefined : Number(header.trim())
    // A browser session's stream ends when the session does (`mutual logout --all`), not only when the page goes.
    const session = c.req.header('authorization') === undefined ? sessionId(c, ctx.security) : undefined
    const signal = session === undefined ? c.req.raw.signal : AbortSignal.any([c.req.raw.signal, ctx.services.sessions.signal(session)])
    return new Response(ctx.events.stream(last, signal), {
      status: 200,
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' }
    })
  })

  // `/healthz` and `/readyz` need no token; `/metrics` does (Prometheus: `bearer_token_file`).
  app.openapi(probeRoutes.healthz, (c) => c.json({ ok: true as const }, 200))
  app.openapi(probeRoutes.readyz, (c) => ctx.ready() ? c.json({ ready: true }, 200) : c.json({ ready: false }, 503))
  app.openapi(createRoute({
    method: 'get',
    path: '/metrics',
    summary: "Prometheus metrics: libp2p's and Mutual's",
    middleware: [bearerAuth(ctx.security)] as const,
    responses: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } }, ...problems(401, 403) }
  }), async (c) => c.text(await ctx.metrics.registry.metrics(), 200, { 'content-type': ctx.metrics.registry.contentType }))
}
