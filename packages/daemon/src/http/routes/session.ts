import type { OpenAPIHono } from '@hono/zod-openapi'
import { deleteCookie, setCookie } from 'hono/cookie'
import { routes } from '../../contract/index.js'
import { AuthenticationError } from '../../errors.js'
import type { HttpContext } from '../context.js'
import { sessionCookieName, sessionId } from '../session-auth.js'

/** Browser login (DESIGN §6): a one-time code from `mutual open` becomes an HttpOnly, SameSite=Strict cookie. */
export function sessionRoutes (app: OpenAPIHono, ctx: HttpContext): void {
  const { sessions } = ctx.services
  const { security } = ctx
  // Minting codes and ending every session are the CLI's, which holds the token; a browser
  // session cannot extend itself or end others.
  const tokenOnly = (authorization: string | undefined): void => {
    if (authorization === undefined) throw new AuthenticationError('this needs the bearer token (the CLI), not a browser session')
  }

  app.openapi(routes.createLoginCode, (c) => {
    tokenOnly(c.req.header('authorization'))
    return c.json(sessions.loginCode(), 201)
  })

  app.openapi(routes.createSession, async (c) => {
    const session = await sessions.redeem(c.req.valid('json').code)
    setCookie(c, sessionCookieName(security.port()), session.id, { httpOnly: true, sameSite: 'Strict', path: '/', expires: new Date(session.expires) })
    return c.json({ csrf: session.csrf, expires: new Date(session.expires).toISOString() }, 201)
  })

  app.openapi(routes.endSession, async (c) => {
    const id = sessionId(c, security)
    if (id !== undefined) await sessions.end(id)
    deleteCookie(c, sessionCookieName(security.port()), { path: '/' })
    return c.json({ ended: id !== undefined }, 200)
  })

  app.openapi(routes.endSessions, async (c) => {
    tokenOnly(c.req.header('authorization'))
    return c.json({ ended: await sessions.endAll() }, 200)
  })
}
