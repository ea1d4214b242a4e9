import type { OpenAPIHono } from '@hono/zod-openapi'
import { routes } from '../../contract/index.js'
import type { HttpContext } from '../context.js'

/** A board's export (JSON, CSV) and the import of a CSV file. */
export function boardTransferRoutes (app: OpenAPIHono, ctx: HttpContext): void {
  const { boardTransfer } = ctx.services
  app.openapi(routes.exportBoard, async (c) => c.json(await boardTransfer.exportJson(c.req.valid('param').board), 200))
  app.openapi(routes.exportBoardCsv, async (c) => c.json(await boardTransfer.exportCsv(c.req.valid('param').board), 200))
  app.openapi(routes.importBoard, async (c) => c.json(await boardTransfer.importCsv(c.req.valid('param').board, c.req.valid('json').csv), 201))
}
