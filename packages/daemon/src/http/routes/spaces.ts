import type { OpenAPIHono } from '@hono/zod-openapi'
import { routes } from '../../contract/index.js'
import type { HttpContext } from '../context.js'

export function spaceRoutes (app: OpenAPIHono, ctx: HttpContext): void {
  const { spaces } = ctx.services
  app.openapi(routes.createSpace, async (c) => c.json(await spaces.create(c.req.valid('json')), 201))
  app.openapi(routes.listSpaces, (c) => c.json({ spaces: spaces.list() }, 200))
  app.openapi(routes.joinSpace, async (c) => c.json(await spaces.join(c.req.valid('param').space), 202))
  app.openapi(routes.append, async (c) => {
    const { type, body } = c.req.valid('json')
    return c.json(await spaces.append(c.req.valid('param').space, type, body), 201)
  })
  app.openapi(routes.entries, async (c) => c.json({ entries: await spaces.entries(c.req.valid('param').space, c.req.valid('query')) }, 200))
  app.openapi(routes.vector, (c) => c.json(spaces.vector(c.req.valid('param').space), 200))
}
