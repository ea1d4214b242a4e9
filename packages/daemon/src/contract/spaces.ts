import { createRoute, z } from '@hono/zod-openapi'
import { EntrySchema, SpaceParamSchema, VectorSchema, body, json, problems } from './common.js'

/** Raw spaces: create, list, join, append and read entries, version vectors. */

export const CreateSpaceSchema = z.object({
  name: z.string().min(1).max(200),
  writers: z.array(z.string().max(128)).max(1024).optional(),
  open: z.boolean().optional().openapi({ description: 'anyone may write (default: the creator and the listed writers)' })
}).openapi('CreateSpace')

export const SpaceSummarySchema = z.object({
  space: z.string(),
  name: z.string(),
  kind: z.string(),
  owner: z.string(),
  authors: z.number().int(),
  entries: z.number().int()
}).openapi('SpaceSummary')

export const AppendSchema = z.object({
  type: z.string().min(1).max(64),
  body: z.unknown()
}).openapi('Append')

/** `?author=` with nothing after it means no author, as if the parameter were absent. */
const blank = (value: unknown): unknown => value === '' ? undefined : value

export const EntriesQuerySchema = z.object({
  author: z.preprocess(blank, z.string().max(128).optional()),
  from: z.preprocess(blank, z.coerce.number().int().min(1).optional()),
  limit: z.preprocess(blank, z.coerce.number().int().min(1).max(1000).optional().openapi({ description: 'default 100' }))
})

export const SpaceVectorSchema = z.object({ space: z.string(), vector: VectorSchema }).openapi('Vector')

export const spaceRoutes = {
  createSpace: createRoute({
    method: 'post',
    path: '/api/v1/spaces',
    summary: 'Create a raw space; this node joins it',
    request: { body: body(CreateSpaceSchema) },
    responses: { 201: json(z.object({ space: z.string(), genesis: EntrySchema }), 'created'), ...problems(400, 401, 403) }
  }),
  listSpaces: createRoute({
    method: 'get',
    path: '/api/v1/spaces',
    summary: 'Spaces held here',
    responses: { 200: json(z.object({ spaces: z.array(SpaceSummarySchema) }), 'spaces'), ...problems(401, 403) }
  }),
  joinSpace: createRoute({
    method: 'post',
    path: '/api/v1/spaces/{space}/join',
    summary: 'Replicate a space, held here or not: subscribe to it and ask peers for it',
    request: { params: SpaceParamSchema },
    responses: { 202: json(z.object({ space: z.string() }), 'joining'), ...problems(400, 401, 403) }
  }),
  append: createRoute({
    method: 'post',
    path: '/api/v1/spaces/{space}/entries',
    summary: "Append an entry signed by this node's identity, then publish it",
    request: { params: SpaceParamSchema, body: body(AppendSchema) },
    responses: { 201: json(EntrySchema, 'appended'), ...problems(400, 401, 403, 404) }
  }),
  entries: createRoute({
    method: 'get',
    path: '/api/v1/spaces/{space}/entries',
    summary: "A space's entries: one author's from a seq, or every author's (by author, then seq)",
    request: { params: SpaceParamSchema, query: EntriesQuerySchema },
    responses: { 200: json(z.object({ entries: z.array(EntrySchema) }), 'entries'), ...problems(400, 401, 403, 404) }
  }),
  vector: createRoute({
    method: 'get',
    path: '/api/v1/spaces/{space}/vector',
    summary: 'What this node holds of each author in a space',
    request: { params: SpaceParamSchema },
    responses: { 200: json(SpaceVectorSchema, 'version vector'), ...problems(401, 403, 404) }
  })
}

export type SpaceSummary = z.infer<typeof SpaceSummarySchema>
export type SpaceVector = z.infer<typeof SpaceVectorSchema>
