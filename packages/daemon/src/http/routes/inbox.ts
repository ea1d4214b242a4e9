import type { OpenAPIHono } from '@hono/zod-openapi'
import { routes, type InboxKind } from '../../contract/index.js'
import type { HttpContext } from '../context.js'

/** The inbox: items, the unread count, read marks. */
export function inboxRoutes (app: OpenAPIHono, ctx: HttpContext): void {
  const { inbox } = ctx.services
  app.openapi(routes.inbox, (c) => {
    const { unread, kind, limit } = c.req.valid('query')
    return c.json(inbox.list({ unread: unread === 'true', kinds: kind?.split(',') as InboxKind[] | undefined, limit }), 200)
  })
  app.openapi(routes.inboxCount, (c) => c.json(inbox.count(), 200))
  app.openapi(routes.markRead, async (c) => c.json(await inbox.markRead(c.req.valid('json')), 200))
}
