import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { AuthenticationError, ForbiddenHostError, ForbiddenOriginError } from '../errors.js'

export interface SecurityInit {
  token: string
  /** the port the API listens on, known once it does */
  port: () => number
  /** the host the API is bound to (added to the allowed hosts unless it is a wildcard) */
  bindHost?: string
  /** extra `host:port` values accepted in the Host header */
  allowedHosts?: string[]
  /** extra origins accepted on state-changing requests */
  allowedOrigins?: string[]
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest()

/**
 * Compares a presented token with the real one in constant time. Both sides are hashed first so
 * the comparison never depends on, or leaks, the presented token's length.
 */
export function tokenMatches (presented: string, token: string): boolean {
  if (tokenDigest?.token !== token) tokenDigest = { token, digest: digest(token) }
  return timingSafeEqual(digest(presented), tokenDigest.digest)
}

/** the daemon's own token's digest, computed once rather than on every request */
let tokenDigest: { token: string, digest: Buffer } | undefined

/** The `Bearer` token of an Authorization header, or undefined. */
export function bearerToken (header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header)
  return match?.[1]
}

export function allowedHostsFor (init: SecurityInit): Set<string> {
  const port = init.port()
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`])
  const bind = init.bindHost
  if (bind !== undefined && bind !== '0.0.0.0' && bind !== '::' && bind !== '') {
    hosts.add(bind.includes(':') ? `[${bind}]:${port}` : `${bind}:${port}`)
  }
  for (const h of init.allowedHosts ?? []) hosts.add(h.toLowerCase())
  return hosts
}

export function allowedOriginsFor (init: SecurityInit): Set<string> {
  const port = init.port()
  const origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`])
  for (const o of init.allowedOrigins ?? []) origins.add(o.toLowerCase())
  return origins
}

/**
 * Refuses requests whose Host header is not this daemon's own: a web page that rebinds its DNS
 * name to 127.0.0.1 still sends its own name as Host, so it never reaches the API.
 */
export function hostCheck (init: SecurityInit): MiddlewareHandler {
  let hosts: Set<string> | undefined
  return async (c, next) => {
    hosts ??= allowedHostsFor(init)
    const host = c.req.header('host')?.toLowerCase()
    if (host === undefined || !hosts.has(host)) {
      throw new ForbiddenHostError(`Host "${(host ?? '').slice(0, 128)}" is not allowed; add it to allowedHosts in config.json to use it`)
    }
    await next()
  }
}

/**
 * Refuses state-changing requests sent by a browser from another origin (CSRF). Requests without
 * an Origin header (the CLI, curl) pass; the token still has to be right.
 */
export function originCheck (init: SecurityInit): MiddlewareHandler {
  let origins: Set<string> | undefined
  return async (c, next) => {
    const method = c.req.method
    if (method !== 'GET' && method !== 'HEAD') {
      origins ??= allowedOriginsFor(init)
      const origin = c.req.header('origin')
      if (origin !== undefined && !origins.has(origin.toLowerCase())) {
        throw new ForbiddenOriginError(`Origin "${origin.slice(0, 128)}" may not change this daemon's state`)
      }
    }
    await next()
  }
}

/** Requires `Authorization: Bearer <token>`. */
export function bearerAuth (init: SecurityInit): MiddlewareHandler {
  return async (c, next) => {
    const presented = bearerToken(c.req.header('authorization'))
    if (presented === undefined) throw new AuthenticationError('missing bearer token: send "Authorization: Bearer <token>" with the token from the api-token file')
    if (!tokenMatches(presented, init.token)) throw new AuthenticationError('wrong bearer token')
    await next()
  }
}
