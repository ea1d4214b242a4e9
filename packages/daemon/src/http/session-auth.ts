import type { Context, MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { AuthenticationError, ForbiddenOriginError } from '../errors.js'
import type { Sessions } from '../services/sessions.js'
import { allowedOriginsFor, bearerToken, tokenMatches, type SecurityInit } from './security.js'

/** The header a browser session sends with every request: a page on another origin cannot set it without a CORS preflight this daemon never grants. */
export const CSRF_HEADER = 'x-mutual-csrf'

/**
 * The session cookie's name. Cookies are not kept apart by port (RFC 6265 §8.5), so two daemons
 * on one machine would overwrite each other's cookie under one name; the port keeps them apart.
 */
export function sessionCookieName (port: number): string {
  return `mutual-session-${port}`
}

/** Paths under `/api/v1` that need no credentials: trading a login code for a session. */
const OPEN_PATHS = new Set(['/api/v1/session'])

/**
 * Authenticates an API request by its bearer token (the CLI, scripts) or by a browser session:
 * the cookie, with the session's CSRF header, from this daemon's own origin. Host and Origin
 * checks run before this, as for the token.
 */
export function apiAuth (init: SecurityInit, sessions: Sessions): MiddlewareHandler {
  let origins: Set<string> | undefined
  return async (c, next) => {
    if (c.req.method === 'POST' && OPEN_PATHS.has(c.req.path)) {
      await next()
      return
    }
    const authorization = c.req.header('authorization')
    if (authorization !== undefined) {
      const presented = bearerToken(authorization)
      if (presented === undefined || !tokenMatches(presented, init.token)) throw new AuthenticationError('wrong bearer token')
      await next()
      return
    }
    const id = sessionId(c, init)
    if (id === undefined) throw new AuthenticationError('missing bearer token: send "Authorization: Bearer <token>" with the token from the api-token file, or log in with `mutual open`')
    // A cookie comes with every request to this host, wherever it was made from: a session is
    // taken only from this daemon's own pages, on reads as on writes.
    origins ??= allowedOriginsFor(init)
    const origin = c.req.header('origin')
    if (origin !== undefined && !origins.has(origin.toLowerCase())) throw new ForbiddenOriginError(`Origin "${origin.slice(0, 128)}" may not use a browser session of this daemon`)
    const site = c.req.header('sec-fetch-site')
    if (site !== undefined && site !== 'same-origin') throw new ForbiddenOriginError(`a browser session is taken from this daemon's own pages only (Sec-Fetch-Site: ${site.slice(0, 32)})`)
    sessions.verify(id, c.req.header(CSRF_HEADER))
    await next()
  }
}

export function sessionId (c: Context, init: SecurityInit): string | undefined {
  const value = getCookie(c, sessionCookieName(init.port()))
  return value === undefined || value === '' ? undefined : value
}
