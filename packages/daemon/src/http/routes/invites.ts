import type { OpenAPIHono } from '@hono/zod-openapi'
import type { Role } from '@mutual/protocol'
import { routes } from '../../contract/index.js'
import { join } from '../../services/index.js'
import type { HttpContext } from '../context.js'

const JOIN_TIMEOUT_MS = 60_000

export function inviteRoutes (app: OpenAPIHono, ctx: HttpContext): void {
  const { invites, joining } = ctx.services
  app.openapi(routes.createBoardInvite, async (c) => c.json(await invites.create('board', c.req.valid('param').board, c.req.valid('json')), 201))
  app.openapi(routes.boardInvites, async (c) => c.json({ invites: await invites.list({ kind: 'board', space: c.req.valid('param').board }) }, 200))
  app.openapi(routes.revokeBoardInvite, async (c) => {
    const { board, id } = c.req.valid('param')
    return c.json(await invites.revoke(id, { kind: 'board', space: board }), 200)
  })
  app.openapi(routes.createOrgInvite, async (c) => {
    const request = c.req.valid('json')
    return c.json(await invites.create('org', c.req.valid('param').org, { ...request, roles: request.roles as Role[] | undefined }), 201)
  })
  app.openapi(routes.orgInvites, async (c) => c.json({ invites: await invites.list({ kind: 'org', space: c.req.valid('param').org }) }, 200))
  app.openapi(routes.revokeOrgInvite, async (c) => {
    const { org, id } = c.req.valid('param')
    return c.json(await invites.revoke(id, { kind: 'org', space: org }), 200)
  })
  app.openapi(routes.invites, async (c) => c.json({ invites: await invites.list() }, 200))
  app.openapi(routes.revokeInvite, async (c) => c.json(await invites.revoke(c.req.valid('param').id), 200))
  app.openapi(routes.join, async (c) => {
    const signal = AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(JOIN_TIMEOUT_MS)])
    return c.json(await join(joining, c.req.valid('json').ticket, { signal }), 200)
  })
}
