import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import type { DaemonContext } from '../context.js'
import { problems } from './schemas.js'

const EventsHeadersSchema = z.object({
  'last-event-id': z.string().max(32).optional().openapi({ description: 'replay buffered events after this id' })
})

export function eventRoutes (app: OpenAPIHono, ctx: DaemonContext): void {
  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/events',
    summary: 'Server-Sent Events: entry, fork, frozen, peer:connect, peer:disconnect, sync, board, claims',
    description: '`board` ({ board, origin: local | remote }) when a board\'s document changes; `claims` ({ board }) when a claim or release is taken in. Each event has an increasing `id`; reconnecting with `Last-Event-ID` replays the buffered events after it (the last 1000). A keep-alive comment comes every 15 s.',
    request: { headers: EventsHeadersSchema },
    responses: {
      200: { description: 'an event stream', content: { 'text/event-stream': { schema: z.string() } } },
      ...problems(401, 403)
    }
  }), (c) => {
    const header = c.req.valid('header')['last-event-id']
    const last = header === undefined || !/^\d+$/.test(header.trim()) ? undefined : Number(header.trim())
    const stream = ctx.events.stream(last, c.req.raw.signal)
    return new Response(stream, {
      status: 200,
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no'
      }
    })
  })
}
