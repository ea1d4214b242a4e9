import { randomBytes } from 'node:crypto'
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import { GENESIS_TYPE, parseCid } from '@mutual/protocol'
import { UnknownSpaceError, vectorSize } from '@mutual/log'
import type { DaemonContext } from '../context.js'
import { InvalidRequestError } from '../errors.js'
import { entryToJson, fromJson, type EntryJson } from '../json.js'
import { EntrySchema, SpaceParamSchema, json, problems } from './schemas.js'

const CreateSpaceSchema = z.object({
  name: z.string().min(1).max(200),
  writers: z.array(z.string().max(128)).max(1024).optional(),
  open: z.boolean().optional().openapi({ description: 'anyone may write (default: the creator and the listed writers)' })
}).openapi('CreateSpace')

const SpaceSummarySchema = z.object({
  space: z.string(),
  name: z.string(),
  kind: z.string(),
  owner: z.string(),
  authors: z.number().int(),
  entries: z.number().int()
}).openapi('SpaceSummary')

const AppendSchema = z.object({
  type: z.string().min(1).max(64),
  body: z.unknown()
}).openapi('Append')

/** `?author=` with nothing after it means no author, as if the parameter were absent. */
const blank = (value: unknown): unknown => value === '' ? undefined : value

const EntriesQuerySchema = z.object({
  author: z.preprocess(blank, z.string().max(128).optional()),
  from: z.preprocess(blank, z.coerce.number().int().min(1).optional()),
  limit: z.preprocess(blank, z.coerce.number().int().min(1).max(1000).optional().openapi({ description: 'default 100' }))
})

const VectorSchema = z.object({
  space: z.string(),
  vector: z.record(z.string(), z.object({ seq: z.number().int(), head: z.string(), frozenAt: z.number().int().optional() }))
}).openapi('Vector')

export function spaceRoutes (app: OpenAPIHono, ctx: DaemonContext): void {
  // The node publishes every entry this identity appends (it listens to the log), so routes only append.
  const { log, node, identity } = ctx

  const held = (space: string): void => {
    if (log.genesis(space) === undefined) throw new UnknownSpaceError(`no space ${space.slice(0, 128)} here`)
  }

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/spaces',
    summary: 'Create a raw space; this node joins it',
    request: { body: { required: true, content: { 'application/json': { schema: CreateSpaceSchema } } } },
    responses: {
      201: json(z.object({ space: z.string(), genesis: EntrySchema }), 'created'),
      ...problems(400, 401, 403)
    }
  }), async (c) => {
    const { name, writers, open } = c.req.valid('json')
    const genesis = await log.createSpace(identity, {
      kind: 'raw',
      name,
      policy: { write: open === true ? 'anyone' : 'listed', writers: writers ?? [] },
      encrypted: false,
      nonce: randomBytes(16)
    })
    await node.join(genesis.space)
    return c.json({ space: genesis.space, genesis: entryToJson(genesis) }, 201)
  })

  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/spaces',
    summary: 'Spaces held here',
    responses: { 200: json(z.object({ spaces: z.array(SpaceSummarySchema) }), 'spaces'), ...problems(401, 403) }
  }), (c) => {
    const spaces = log.spaces().sort().flatMap((space) => {
      const genesis = log.genesis(space)
      if (genesis === undefined) return []
      const vector = log.vector(space)
      const { body } = genesis.entry
      return [{ space, name: body.name, kind: body.kind, owner: genesis.entry.author, authors: Object.keys(vector).length, entries: vectorSize(vector) }]
    })
    return c.json({ spaces }, 200)
  })

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/spaces/{space}/join',
    summary: 'Replicate a space, held here or not: subscribe to it and ask peers for it',
    request: { params: SpaceParamSchema },
    responses: { 202: json(z.object({ space: z.string() }), 'joining'), ...problems(400, 401, 403) }
  }), async (c) => {
    const { space } = c.req.valid('param')
    if (parseCid(space) === undefined) throw new InvalidRequestError(`"${space.slice(0, 128)}" is not a space id`)
    await node.join(space)
    return c.json({ space }, 202)
  })

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/spaces/{space}/entries',
    summary: "Append an entry signed by this node's identity, then publish it",
    request: {
      params: SpaceParamSchema,
      body: { required: true, content: { 'application/json': { schema: AppendSchema } } }
    },
    responses: { 201: json(EntrySchema, 'appended'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const { space } = c.req.valid('param')
    const { type, body } = c.req.valid('json')
    held(space)
    if (type === GENESIS_TYPE) throw new InvalidRequestError(`a ${GENESIS_TYPE} starts a space: POST /api/v1/spaces`)
    const entry = await log.append(identity, space, type, fromJson(body))
    return c.json(entryToJson(entry), 201)
  })

  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/spaces/{space}/entries',
    summary: "A space's entries: one author's from a seq, or every author's (by author, then seq)",
    request: { params: SpaceParamSchema, query: EntriesQuerySchema },
    responses: { 200: json(z.object({ entries: z.array(EntrySchema) }), 'entries'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const { space } = c.req.valid('param')
    const { author, from = 1, limit = 100 } = c.req.valid('query')
    held(space)
    const authors = author !== undefined ? [author] : Object.keys(log.vector(space)).sort()
    const entries: EntryJson[] = []
    for (const a of authors) {
      for await (const entry of log.entries(space, a, from, from + limit - entries.length - 1)) entries.push(entryToJson(entry))
      if (entries.length >= limit) break
    }
    return c.json({ entries }, 200)
  })

  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/spaces/{space}/vector',
    summary: 'What this node holds of each author in a space',
    request: { params: SpaceParamSchema },
    responses: { 200: json(VectorSchema, 'version vector'), ...problems(401, 403, 404) }
  }), (c) => {
    const { space } = c.req.valid('param')
    held(space)
    return c.json({ space, vector: log.vector(space) }, 200)
  })
}
