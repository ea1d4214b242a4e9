import type { OpenAPIHono } from '@hono/zod-openapi'
import { routes } from '../../contract/index.js'
import type { HttpContext } from '../context.js'

export function orgRoutes (app: OpenAPIHono, ctx: HttpContext): void {
  const { orgs } = ctx.services
  app.openapi(routes.createOrg, async (c) => c.json(await orgs.create(c.req.valid('json').name), 201))
  app.openapi(routes.listOrgs, (c) => c.json({ orgs: orgs.list() }, 200))
  app.openapi(routes.org, async (c) => c.json(await orgs.show(c.req.valid('param').org), 200))
  app.openapi(routes.orgSpaces, (c) => c.json({ spaces: orgs.spaces(c.req.valid('param').org) }, 200))
  app.openapi(routes.issueCredential, async (c) => c.json(await orgs.issueCredential(c.req.valid('param').org, c.req.valid('json')), 201))
  app.openapi(routes.revoke, async (c) => {
    const { member, reason } = c.req.valid('json')
    return c.json(await orgs.revoke(c.req.valid('param').org, member, reason), 201)
  })
  app.openapi(routes.propose, async (c) => c.json(await orgs.propose(c.req.valid('param').org, c.req.valid('json').change), 201))
  app.openapi(routes.approve, async (c) => {
    const { org, id } = c.req.valid('param')
    return c.json(await orgs.approve(org, id), 201)
  })
  app.openapi(routes.ingest, async (c) => c.json(await orgs.ingest(c.req.valid('param').org, c.req.valid('json').entry), 201))
  app.openapi(routes.createGrantedSpace, async (c) => c.json(await orgs.createGrantedSpace(c.req.valid('json')), 201))
  app.openapi(routes.createFederation, async (c) => {
    const { name, orgs: members } = c.req.valid('json')
    return c.json(await orgs.createFederation(name, members), 201)
  })
  app.openapi(routes.acceptFederation, async (c) => c.json(await orgs.acceptFederation(c.req.valid('param').federation, c.req.valid('json').org), 201))
  app.openapi(routes.federation, async (c) => c.json(await orgs.federation(c.req.valid('param').federation), 200))
}

export function marketRoutes (app: OpenAPIHono, ctx: HttpContext): void {
  const { market } = ctx.services
  app.openapi(routes.createMarket, async (c) => {
    const { name, grants } = c.req.valid('json')
    return c.json(await market.create(name, grants), 201)
  })
  app.openapi(routes.listMarkets, (c) => c.json({ markets: market.list() }, 200))
  app.openapi(routes.market, async (c) => c.json(await market.show(c.req.valid('param').market), 200))
  app.openapi(routes.announce, async (c) => c.json(await market.announce(c.req.valid('param').market, c.req.valid('json')), 201))
  app.openapi(routes.apply, async (c) => {
    const { announcement, note } = c.req.valid('json')
    return c.json(await market.apply(c.req.valid('param').market, announcement, note), 201)
  })
  app.openapi(routes.decide, async (c) => {
    const { market: space, id, decision } = c.req.valid('param')
    return c.json(await market.decide(space, id, decision, c.req.valid('json').reason), 201)
  })
  app.openapi(routes.joinMarket, async (c) => c.json(await market.join(c.req.valid('param').market), 200))
  app.openapi(routes.boardMarket, (c) => c.json(ctx.services.boardMarkets.get(c.req.valid('param').board), 200))
  app.openapi(routes.setBoardMarket, async (c) => c.json(await ctx.services.boardMarkets.set(c.req.valid('param').board, c.req.valid('json').market), 200))
}
