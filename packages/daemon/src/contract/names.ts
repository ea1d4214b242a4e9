import { createRoute, z } from '@hono/zod-openapi'
import { body, json, problems } from './common.js'

/** Names (DESIGN.md §6): signed profiles, local aliases, names for ids, and ids for names. */

export const NAME_KINDS = ['identity', 'board', 'org', 'market', 'ledger', 'federation', 'space', 'task'] as const

export const ProfileSchema = z.object({
  identity: z.string(),
  name: z.string(),
  description: z.string(),
  kind: z.enum(['person', 'agent', 'organization']),
  entry: z.string().optional().openapi({ description: 'the profile entry this node holds as the latest (absent: published nowhere yet)' }),
  space: z.string().optional(),
  at: z.string().optional().openapi({ description: 'when it was signed (its stamp, ISO)' })
}).openapi('Profile')

export const SetProfileSchema = z.object({
  name: z.string().min(1).max(64),
  description: z.string().max(280).optional(),
  kind: z.enum(['person', 'agent', 'organization']).optional()
}).openapi('SetProfile')

export const NameEntrySchema = z.object({
  name: z.string(),
  source: z.enum(['alias', 'profile', 'space']).openapi({ description: 'a local alias, a signed profile, or a space\'s genesis' })
}).openapi('Name')

export const ResolvedSchema = z.object({
  kind: z.enum(NAME_KINDS),
  id: z.string(),
  name: z.string()
}).openapi('Resolved')

export const AliasSchema = z.object({ alias: z.string(), id: z.string(), name: z.string() }).openapi('Alias')

const aliasParam = z.string().min(1).max(64).regex(/^[^\s/?#%]+$/, 'an alias is one word').openapi({ param: { name: 'alias', in: 'path' } })

export const nameRoutes = {
  setProfile: createRoute({
    method: 'put',
    path: '/api/v1/profile',
    summary: 'Sign this node\'s profile and publish it in every space it may write (and later in each it gains)',
    request: { body: body(SetProfileSchema) },
    responses: { 200: json(z.object({ profile: ProfileSchema, published: z.array(z.string()) }), 'the profile and the spaces it went to'), ...problems(400, 401, 403) }
  }),
  profile: createRoute({
    method: 'get',
    path: '/api/v1/profiles/{id}',
    summary: 'The latest profile of an identity this node has seen',
    request: { params: z.object({ id: z.string().min(1).max(128).openapi({ param: { name: 'id', in: 'path' } }) }) },
    responses: { 200: json(ProfileSchema, 'the profile'), ...problems(400, 401, 403, 404) }
  }),
  names: createRoute({
    method: 'get',
    path: '/api/v1/names',
    summary: 'Names for people of the ids given (identities, spaces) that this node knows',
    request: { query: z.object({ ids: z.string().max(64 * 1024).openapi({ description: 'comma-separated ids' }) }) },
    responses: { 200: json(z.object({ names: z.record(z.string(), NameEntrySchema) }), 'names by id'), ...problems(400, 401, 403) }
  }),
  resolve: createRoute({
    method: 'get',
    path: '/api/v1/resolve',
    summary: 'The id a name, alias or unambiguous id prefix means (AmbiguousNameError lists the candidates)',
    request: {
      query: z.object({
        kind: z.enum(NAME_KINDS),
        q: z.string().min(1).max(200),
        board: z.string().min(1).max(200).optional().openapi({ description: 'for a task: its board (id, prefix or name)' })
      })
    },
    responses: { 200: json(ResolvedSchema, 'what it means'), ...problems(400, 401, 403, 404, 409) }
  }),
  aliases: createRoute({
    method: 'get',
    path: '/api/v1/aliases',
    summary: 'Local nicknames of identities (never replicated)',
    responses: { 200: json(z.object({ aliases: z.array(AliasSchema) }), 'aliases'), ...problems(401, 403) }
  }),
  setAlias: createRoute({
    method: 'put',
    path: '/api/v1/aliases/{alias}',
    summary: 'Give an identity a local nickname',
    request: { params: z.object({ alias: aliasParam }), body: body(z.object({ id: z.string().min(1).max(128) })) },
    responses: { 200: json(z.object({ alias: z.string(), id: z.string() }), 'set'), ...problems(400, 401, 403) }
  }),
  removeAlias: createRoute({
    method: 'delete',
    path: '/api/v1/aliases/{alias}',
    summary: 'Remove a local nickname',
    request: { params: z.object({ alias: aliasParam }) },
    responses: { 200: json(z.object({ alias: z.string(), id: z.string() }), 'removed'), ...problems(400, 401, 403, 404) }
  })
}

export type NameKind = typeof NAME_KINDS[number]
export type Profile = z.infer<typeof ProfileSchema>
export type NameEntry = z.infer<typeof NameEntrySchema>
export type Resolved = z.infer<typeof ResolvedSchema>
export type Alias = z.infer<typeof AliasSchema>
