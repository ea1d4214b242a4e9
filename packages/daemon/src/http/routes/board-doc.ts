import type { OpenAPIHono } from '@hono/zod-openapi'
import { routes } from '../../contract/index.js'
import type { HttpContext } from '../context.js'

/** A web page's live replica of a board: updates both ways (see `services/board-doc.ts`). */
export function boardDocRoutes (app: OpenAPIHono, ctx: HttpContext): void {
  const { boardDoc } = ctx.services
  app.openapi(routes.boardDoc, async (c) => c.json(await boardDoc.diff(c.req.valid('param').board, c.req.valid('query').since), 200))
  app.openapi(routes.pushBoardDoc, async (c) => c.json(await boardDoc.apply(c.req.valid('param').board, c.req.valid('json').update), 200))
}
