import type { OpenAPIHono } from '@hono/zod-openapi'
import { routes } from '../../contract/index.js'
import type { HttpContext } from '../context.js'

export function ledgerRoutes (app: OpenAPIHono, ctx: HttpContext): void {
  const { ledger } = ctx.services
  const created = (entry: Awaited<ReturnType<typeof ledger.record>>): { entry: typeof entry } => ({ entry })
  app.openapi(routes.createOrgLedger, async (c) => c.json(await ledger.create(c.req.valid('param').org), 201))
  app.openapi(routes.createLedger, async (c) => {
    const { org, name } = c.req.valid('json')
    return c.json(await ledger.create(org, name), 201)
  })
  app.openapi(routes.listLedgers, (c) => c.json({ ledgers: ledger.list() }, 200))
  app.openapi(routes.record, async (c) => c.json(created(await ledger.record(c.req.valid('param').ledger, c.req.valid('json'))), 201))
  app.openapi(routes.recordTask, async (c) => c.json(await ledger.recordTask(c.req.valid('param').ledger, c.req.valid('json')), 201))
  app.openapi(routes.attest, async (c) => c.json(created(await ledger.attest(c.req.valid('param').ledger, c.req.valid('json'))), 201))
  app.openapi(routes.feedback, async (c) => c.json(created(await ledger.feedback(c.req.valid('param').ledger, c.req.valid('json'))), 201))
  app.openapi(routes.endorse, async (c) => c.json(created(await ledger.endorse(c.req.valid('param').ledger, c.req.valid('json'))), 201))
  app.openapi(routes.allocate, async (c) => c.json(created(await ledger.allocate(c.req.valid('param').ledger, c.req.valid('json'))), 201))
  app.openapi(routes.openDispute, async (c) => c.json(created(await ledger.openDispute(c.req.valid('param').ledger, c.req.valid('json'))), 201))
  app.openapi(routes.resolveDispute, async (c) => {
    const { ledger: space, id } = c.req.valid('param')
    return c.json(created(await ledger.resolveDispute(space, id, c.req.valid('json'))), 201)
  })
  app.openapi(routes.contributions, async (c) => c.json({ contributions: await ledger.contributions(c.req.valid('param').ledger, c.req.valid('query').period) }, 200))
  app.openapi(routes.contribution, async (c) => {
    const { ledger: space, id } = c.req.valid('param')
    return c.json(await ledger.contribution(space, id), 200)
  })
  app.openapi(routes.shares, async (c) => {
    const { period, explain } = c.req.valid('query')
    return c.json(await ledger.shares(c.req.valid('param').ledger, { period, explain: explain === 'true' || explain === '1' }), 200)
  })
  app.openapi(routes.settle, async (c) => c.json(await ledger.settle(c.req.valid('param').ledger, c.req.valid('json').period), 201))
  app.openapi(routes.verifySettlement, async (c) => {
    const { ledger: space, id } = c.req.valid('param')
    return c.json(await ledger.verify(space, id), 200)
  })
}
