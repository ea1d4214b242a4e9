import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { routePath } from 'hono/route'
import { AuthenticationError, InvalidRequestError, NotFoundError, PayloadTooLargeError } from '../errors.js'
import { readBody } from './body.js'
import type { HttpContext } from './context.js'
import { problemOf } from './problem.js'
import { hostCheck, originCheck } from './security.js'
import { apiAuth } from './session-auth.js'
import { staticRoutes } from './static.js'
import { boardDocRoutes } from './routes/board-doc.js'
import { boardTransferRoutes } from './routes/board-transfer.js'
import { boardRoutes, taskRoutes } from './routes/boards.js'
import { inviteRoutes } from './routes/invites.js'
import { ledgerRoutes } from './routes/ledger.js'
import { inboxRoutes } from './routes/inbox.js'
import { nameRoutes } from './routes/names.js'
import { nodeRoutes } from './routes/node.js'
import { marketRoutes, orgRoutes } from './routes/orgs.js'
import { sessionRoutes } from './routes/session.js'
import { spaceRoutes } from './routes/spaces.js'

/** The largest request body: an entry is at most 1 MiB encoded, and JSON is no smaller. */
const MAX_BODY_BYTES = 2 * 1024 * 1024

/**
 * The HTTP API: security first (Host allow-list on every route; Origin check and bearer token
 * on `/api/v1/*`, or a browser session), then the routes and the web UI's files, with every
 * error answered as problem+json.
 */
export function createApp (ctx: HttpContext): OpenAPIHono {
  const { security } = ctx
  const app = new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) {
        const issue = result.error.issues[0]
        throw new InvalidRequestError(`${result.target}${issue.path.length > 0 ? '.' + issue.path.join('.') : ''}: ${issue.message}`)
      }
    }
  })

  app.use('*', async (c, next) => {
    const started = performance.now()
    await next()
    const route = routePath(c, -1)
    ctx.metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) })
    ctx.metrics.httpDuration.observe({ method: c.req.method, route }, (performance.now() - started) / 1000)
  })
  app.use('*', hostCheck(security))
  app.use('/api/v1/*', originCheck(security), apiAuth(security, ctx.services.sessions))
  app.use('/api/v1/*', readBody(MAX_BODY_BYTES))

  nodeRoutes(app, ctx)
  spaceRoutes(app, ctx)
  boardRoutes(app, ctx)
  taskRoutes(app, ctx)
  inviteRoutes(app, ctx)
  orgRoutes(app, ctx)
  marketRoutes(app, ctx)
  ledgerRoutes(app, ctx)
  nameRoutes(app, ctx)
  sessionRoutes(app, ctx)
  boardDocRoutes(app, ctx)
  boardTransferRoutes(app, ctx)
  inboxRoutes(app, ctx)

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'the token in the data directory\'s api-token file'
  })
  app.doc31('/api/v1/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Mutual daemon API', version: ctx.version },
    security: [{ bearer: [] }]
  })

  staticRoutes(app, ctx.webRoot)

  app.notFound((c) => problemResponse(c, new NotFoundError(`no route ${c.req.method} ${c.req.path}`), ctx))
  app.onError((err, c) => problemResponse(c, fromHttpException(err), ctx))
  return app
}

/** Hono's own errors (malformed JSON, for one) carry a status; give them a name of ours. */
function fromHttpException (err: Error): Error {
  if (!(err instanceof HTTPException)) return err
  if (err.status === 401) return new AuthenticationError(err.message, { cause: err })
  if (err.status === 404) return new NotFoundError(err.message, { cause: err })
  if (err.status === 413) return new PayloadTooLargeError(err.message, { cause: err })
  if (err.status >= 400 && err.status < 500) return new InvalidRequestError(err.message, { cause: err })
  return err
}

function problemResponse (c: Context, err: Error, ctx: HttpContext): Response {
  const problem = problemOf(err)
  if (problem.status >= 500) ctx.logger.error({ err, method: c.req.method, path: c.req.path }, 'request failed')
  else ctx.logger.debug({ name: problem.name, detail: problem.detail, method: c.req.method, path: c.req.path }, 'request refused')
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json' }
  })
}
