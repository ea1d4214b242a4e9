import { z } from '@hono/zod-openapi'

/** Schemas shared by several routes; they are also the OpenAPI document's components. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  name: z.string().openapi({ description: 'the error class name, e.g. BodySchemaError' })
}).openapi('Problem')

export const EntrySchema = z.object({
  id: z.string().openapi({ description: 'CID of the signed entry' }),
  space: z.string(),
  author: z.string(),
  seq: z.number().int(),
  prev: z.string().nullable(),
  ts: z.tuple([z.number().int(), z.number().int()]),
  type: z.string(),
  body: z.unknown().openapi({ description: 'the body; byte strings as base64, CIDs as strings' }),
  refs: z.array(z.string()).optional()
}).openapi('Entry')

export const SpaceParamSchema = z.object({
  space: z.string().min(1).max(128).openapi({ param: { name: 'space', in: 'path' }, description: 'space id (CID of its genesis)' })
})

/** Problem responses a route can give, for the OpenAPI document. */
export function problems (...statuses: number[]): Record<number, { description: string, content: { 'application/problem+json': { schema: typeof ProblemSchema } } }> {
  const out: Record<number, { description: string, content: { 'application/problem+json': { schema: typeof ProblemSchema } } }> = {}
  for (const status of statuses) out[status] = { description: DESCRIPTIONS[status] ?? 'error', content: { 'application/problem+json': { schema: ProblemSchema } } }
  return out
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'invalid input',
  401: 'missing or wrong bearer token',
  403: 'not allowed',
  404: 'not found',
  502: 'the peer could not be reached',
  503: 'the daemon is not ready'
}

export function json<T extends z.ZodType> (schema: T, description: string): { description: string, content: { 'application/json': { schema: T } } } {
  return { description, content: { 'application/json': { schema } } }
}
