import { createRoute, z } from '@hono/zod-openapi'
import { body, json, problems } from './common.js'

/** Browser sessions of the web UI (DESIGN §6): a one-time code from `mutual open` becomes a cookie. */

export const LoginCodeSchema = z.object({
  url: z.string().openapi({ description: 'open this in a browser once: /login#code=…' }),
  expires: z.string()
}).openapi('LoginCode')

export const RedeemSchema = z.object({ code: z.string().min(1).max(128) }).openapi('Redeem')

export const SessionSchema = z.object({
  csrf: z.string().openapi({ description: 'send it as x-mutual-csrf with every request of this session' }),
  expires: z.string()
}).openapi('Session')

export const sessionRoutes = {
  createLoginCode: createRoute({
    method: 'post',
    path: '/api/v1/session/codes',
    summary: 'A one-time login URL for the web UI (`mutual open`); bearer token only',
    responses: { 201: json(LoginCodeSchema, 'the login URL'), ...problems(401, 403) }
  }),
  createSession: createRoute({
    method: 'post',
    path: '/api/v1/session',
    summary: 'Trade a login code for a browser session: sets the HttpOnly, SameSite=Strict session cookie, answers the CSRF token',
    security: [],
    request: { body: body(RedeemSchema) },
    responses: { 201: json(SessionSchema, 'logged in'), ...problems(400, 403, 410) }
  }),
  endSession: createRoute({
    method: 'delete',
    path: '/api/v1/session',
    summary: 'Log this browser out',
    responses: { 200: json(z.object({ ended: z.boolean() }), 'logged out'), ...problems(401, 403) }
  }),
  endSessions: createRoute({
    method: 'delete',
    path: '/api/v1/sessions',
    summary: 'End every browser session and void outstanding login codes (`mutual logout --all`); bearer token only',
    responses: { 200: json(z.object({ ended: z.number().int() }), 'sessions ended'), ...problems(401, 403) }
  })
}

export type LoginCode = z.infer<typeof LoginCodeSchema>
export type Session = z.infer<typeof SessionSchema>
