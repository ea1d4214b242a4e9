import type { OpenAPIHono } from '@hono/zod-openapi'
import { routes } from '../../contract/index.js'
import type { HttpContext } from '../context.js'

/** Profiles, names for ids, ids for names, local aliases. */
export function nameRoutes (app: OpenAPIHono, ctx: HttpContext): void {
  const { names } = ctx.services
  app.openapi(routes.setProfile, async (c) => c.json(await names.setProfile(c.req.valid('json')), 200))
  app.openapi(routes.profile, (c) => c.json(names.profile(c.req.valid('param').id), 200))
  app.openapi(routes.names, (c) => c.json({ names: names.names(c.req.valid('query').ids.split(',')) }, 200))
  app.openapi(routes.resolve, async (c) => {
    const { kind, q, board } = c.req.valid('query')
    return c.json(await names.resolve(kind, q, board), 200)
  })
  app.openapi(routes.aliases, (c) => c.json({ aliases: names.aliasList() }, 200))
  app.openapi(routes.setAlias, async (c) => c.json(await names.setAlias(c.req.valid('param').alias, c.req.valid('json').id), 200))
  app.openapi(routes.removeAlias, async (c) => c.json(await names.removeAlias(c.req.valid('param').alias), 200))
}
