import { z } from '@hono/zod-openapi'

/** Schemas shared by several routes; they are also the OpenAPI document's components. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  name: z.string().openapi({ description: 'the error class name, e.g. BodySchemaError' }),
  candidates: z.array(z.object({ id: z.string(), name: z.string() })).optional().openapi({ description: 'what an ambiguous name could mean (AmbiguousNameError)' })
}).openapi('Problem')

export const StampSchema = z.tuple([z.number().int(), z.number().int()])

export const EntrySchema = z.object({
  id: z.string().openapi({ description: 'CID of the signed entry' }),
  space: z.string(),
  author: z.string(),
  seq: z.number().int(),
  prev: z.string().nullable(),
  ts: StampSchema,
  type: z.string(),
  body: z.unknown().openapi({ description: 'the body; byte strings as base64, CIDs as strings' }),
  refs: z.array(z.string()).optional()
}).openapi('Entry')

export const VectorSchema = z.record(z.string(), z.object({ seq: z.number().int(), head: z.string(), frozenAt: z.number().int().optional() }))

/** A path parameter holding a space id (or an id prefix or name, where the route says so). */
export function idParam (name: string, description: string): z.ZodString {
  return z.string().min(1).max(128).openapi({ param: { name, in: 'path' }, description })
}

export const SpaceParamSchema = z.object({ space: idParam('space', 'space id (CID of its genesis)') })

const DESCRIPTIONS: Record<number, string> = {
  400: 'invalid input',
  401: 'missing or wrong bearer token',
  403: 'not allowed',
  404: 'not found',
  409: 'refused by the rules in the current state',
  410: 'gone: expired, used up or revoked',
  429: 'too many requests',
  502: 'the peer could not be reached',
  503: 'the daemon is not ready',
  504: 'the peer did not answer in time'
}

type ProblemResponse = { description: string, content: { 'application/problem+json': { schema: typeof ProblemSchema } } }

/** Problem responses a route can give, for the OpenAPI document. */
export function problems (...statuses: number[]): Record<number, ProblemResponse> {
  const out: Record<number, ProblemResponse> = {}
  for (const status of statuses) out[status] = { description: DESCRIPTIONS[status] ?? 'error', content: { 'application/problem+json': { schema: ProblemSchema } } }
  return out
}

export function json<T extends z.ZodType> (schema: T, description: string): { description: string, content: { 'application/json': { schema: T } } } {
  return { description, content: { 'application/json': { schema } } }
}

/** A JSON request body. */
export function body<T extends z.ZodType> (schema: T, required = true): { required: boolean, content: { 'application/json': { schema: T } } } {
  return { required, content: { 'application/json': { schema } } }
}

export type Entry = z.infer<typeof EntrySchema>
export type Problem = z.infer<typeof ProblemSchema>
