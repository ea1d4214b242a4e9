import { createRoute, z } from '@hono/zod-openapi'
import { EntrySchema, StampSchema, body, idParam, json, problems } from './common.js'
import { OrgParamSchema } from './invites.js'

/** Organizations, granted spaces, federations and markets. */

export const ProposalParamSchema = OrgParamSchema.extend({ id: idParam('id', 'proposal entry id') })

export const OrgSchema = z.object({
  org: z.string(),
  name: z.string(),
  founder: z.string(),
  admins: z.array(z.object({ id: z.string(), since: z.string(), removed: z.boolean() })),
  members: z.array(z.object({ id: z.string(), roles: z.array(z.string()), credential: z.string(), kind: z.string(), expires: z.number().optional(), revoked: z.boolean() })),
  threshold: z.object({ admins: z.number().int(), unionRep: z.boolean() }),
  delegations: z.array(z.object({ agent: z.string(), id: z.string(), operator: z.string(), scopes: z.array(z.string()), expires: z.number(), revoked: z.boolean() })),
  policies: z.array(z.object({ version: z.number().int(), proposal: z.string(), enactedBy: z.string(), policy: z.unknown() })),
  proposals: z.array(z.object({ id: z.string(), author: z.string(), change: z.unknown(), threshold: z.unknown(), approvals: z.array(z.object({ id: z.string(), author: z.string(), as: z.string() })) }))
}).openapi('Org')

export const OrgSummarySchema = z.object({ org: z.string(), name: z.string(), members: z.number().int(), roles: z.array(z.string()) }).openapi('OrgSummary')

export const CreateOrgSchema = z.object({ name: z.string().min(1).max(200) }).openapi('CreateOrg')
export const CredentialRequestSchema = z.object({
  member: z.string().min(1).max(128),
  roles: z.array(z.string().max(32)).min(1).max(16),
  expires: z.number().int().optional(),
  kind: z.enum(['person', 'agent', 'organization']).optional().openapi({ description: 'default person' })
}).openapi('CredentialRequest')
export const RevocationRequestSchema = z.object({
  member: z.string().min(1).max(128).openapi({ description: 'the member whose live credentials are revoked (or a credential id)' }),
  reason: z.string().min(1).max(1024)
}).openapi('RevocationRequest')
export const OrgSpaceSchema = z.object({
  space: z.string(),
  kind: z.string(),
  name: z.string(),
  by: z.string().openapi({ description: 'who announced it (its creator)' }),
  held: z.boolean().openapi({ description: 'this node holds it' }),
  joined: z.boolean().openapi({ description: 'this node replicates it' }),
  readable: z.boolean().openapi({ description: 'this node may read it' }),
  authors: z.number().int(),
  entries: z.number().int()
}).openapi('OrgSpace')

export const RevokedSchema = z.object({
  revocations: z.array(EntrySchema),
  frozen: z.array(z.object({ space: z.string(), name: z.string(), kind: z.string(), atSeq: z.number().int() })).openapi({ description: 'the spaces the member\'s log is cut in here, at which seq' })
}).openapi('Revoked')

export const ProposalRequestSchema = z.object({ change: z.unknown() }).openapi('ProposalRequest')
export const IngestSchema = z.object({ entry: z.string().min(1).max(3 * 1024 * 1024).openapi({ description: 'a signed entry, base64' }) }).openapi('IngestEntry')
export const GrantedSpaceSchema = z.object({
  name: z.string().min(1).max(200),
  kind: z.enum(['board', 'market', 'ledger', 'raw']).optional().openapi({ description: 'default board' }),
  grants: z.array(z.unknown()).min(1).max(64),
  read: z.enum(['public', 'grants']).optional().openapi({ description: 'default public' }),
  encrypted: z.boolean().optional().openapi({ description: 'default: true exactly when read is "grants" (which must be encrypted)' })
}).openapi('GrantedSpace')

export const FederationParamSchema = z.object({ federation: idParam('federation', 'federation space id') })
export const CreateFederationSchema = z.object({ name: z.string().min(1).max(200), orgs: z.array(z.string().max(128)).min(1).max(64) }).openapi('CreateFederation')
export const AcceptFederationSchema = z.object({ org: z.string().min(1).max(128) }).openapi('AcceptFederation')
export const FederationSchema = z.object({
  federation: z.string(),
  name: z.string(),
  creator: z.string(),
  orgs: z.array(z.string()),
  accepted: z.array(z.string()),
  inForce: z.boolean(),
  inForceAt: z.string().optional()
}).openapi('Federation')

export const MarketParamSchema = z.object({ market: idParam('market', 'market space id') })
export const DecisionParamSchema = MarketParamSchema.extend({
  id: idParam('id', 'application entry id'),
  decision: z.enum(['accept', 'decline']).openapi({ param: { name: 'decision', in: 'path' } })
})
export const CreateMarketSchema = z.object({
  name: z.string().min(1).max(200),
  grants: z.array(z.unknown()).max(64).optional().openapi({ description: 'organizations or federations whose reviewers and admins may decide on any application' })
}).openapi('CreateMarket')
export const AnnounceSchema = z.object({
  board: z.string().max(128).optional(),
  task: z.string().max(64).optional(),
  title: z.string().min(1).max(200),
  summary: z.string().max(4000).optional(),
  skills: z.array(z.string().max(64)).max(32).optional(),
  estimate: z.number().nonnegative().optional(),
  valueWeight: z.number().nonnegative().optional(),
  deadline: z.number().int().optional()
}).openapi('Announce')
export const ApplySchema = z.object({ announcement: z.string().min(1).max(128), note: z.string().max(2000).optional() }).openapi('Apply')
export const DecisionSchema = z.object({ reason: z.string().min(1).max(1000) }).openapi('Decision')

export const MarketSummarySchema = z.object({
  market: z.string(),
  name: z.string(),
  owner: z.string().nullable().openapi({ description: 'its creator; null for a market announced in an org but not held here' }),
  belongsTo: z.array(z.object({ id: z.string(), kind: z.enum(['org', 'federation']), name: z.string() })).openapi({ description: 'the orgs and federations its policy grants or that announced it' }),
  held: z.boolean().openapi({ description: 'this node holds its entries' }),
  following: z.boolean().openapi({ description: 'this node replicates it' })
}).openapi('MarketSummary')
export const AnnouncementSchema = z.object({
  id: z.string(),
  author: z.string(),
  ts: StampSchema,
  body: z.object({
    board: z.string().optional(),
    task: z.string().optional(),
    title: z.string(),
    summary: z.string(),
    skills: z.array(z.string()),
    estimate: z.number(),
    valueWeight: z.number(),
    deadline: z.number().optional()
  }),
  applications: z.array(z.object({
    id: z.string(),
    author: z.string(),
    ts: StampSchema,
    note: z.string(),
    decisions: z.array(z.object({ id: z.string(), author: z.string(), ts: StampSchema, kind: z.enum(['accept', 'decline']), reason: z.string() })),
    status: z.enum(['open', 'accepted', 'declined'])
  }))
}).openapi('Announcement')
export const MarketSchema = z.object({ market: z.string(), name: z.string(), announcements: z.array(AnnouncementSchema) }).openapi('Market')


export const orgRoutes = {
  createOrg: createRoute({
    method: 'post',
    path: '/api/v1/orgs',
    summary: 'Create an organization; this node is its founder and first admin, and joins it',
    request: { body: body(CreateOrgSchema) },
    responses: { 201: json(z.object({ org: z.string(), genesis: EntrySchema }), 'created'), ...problems(400, 401, 403) }
  }),
  listOrgs: createRoute({
    method: 'get',
    path: '/api/v1/orgs',
    summary: "Organizations held here, with this node's roles",
    responses: { 200: json(z.object({ orgs: z.array(OrgSummarySchema) }), 'orgs'), ...problems(401, 403) }
  }),
  org: createRoute({
    method: 'get',
    path: '/api/v1/orgs/{org}',
    summary: 'An organization: members with roles, admins, threshold, delegations, policy versions, open proposals',
    request: { params: OrgParamSchema },
    responses: { 200: json(OrgSchema, 'org'), ...problems(401, 403, 404) }
  }),
  orgSpaces: createRoute({
    method: 'get',
    path: '/api/v1/orgs/{org}/spaces',
    summary: "The spaces announced in an organization (its boards, ledger, markets) and this node's sync state of each",
    request: { params: OrgParamSchema },
    responses: { 200: json(z.object({ spaces: z.array(OrgSpaceSchema) }), 'spaces'), ...problems(401, 403, 404) }
  }),
  issueCredential: createRoute({
    method: 'post',
    path: '/api/v1/orgs/{org}/credentials',
    summary: 'Issue a credential (this node must be an admin)',
    request: { params: OrgParamSchema, body: body(CredentialRequestSchema) },
    responses: { 201: json(EntrySchema, 'issued'), ...problems(400, 401, 403, 404) }
  }),
  revoke: createRoute({
    method: 'post',
    path: '/api/v1/orgs/{org}/revocations',
    summary: "Revoke a member's live credentials, naming their log heads as this node has seen them",
    request: { params: OrgParamSchema, body: body(RevocationRequestSchema) },
    responses: { 201: json(RevokedSchema, 'revoked'), ...problems(400, 401, 403, 404) }
  }),
  propose: createRoute({
    method: 'post',
    path: '/api/v1/orgs/{org}/proposals',
    summary: 'Propose a change (admins, value policy or threshold)',
    request: { params: OrgParamSchema, body: body(ProposalRequestSchema) },
    responses: { 201: json(EntrySchema, 'proposed'), ...problems(400, 401, 403, 404) }
  }),
  approve: createRoute({
    method: 'post',
    path: '/api/v1/orgs/{org}/proposals/{id}/approve',
    summary: 'Approve a proposal as an admin or union representative; enacts it once the threshold is met',
    request: { params: ProposalParamSchema },
    responses: { 201: json(z.object({ approval: EntrySchema, enacted: z.boolean() }), 'approved'), ...problems(400, 401, 403, 404) }
  }),
  ingest: createRoute({
    method: 'post',
    path: '/api/v1/orgs/{org}/entries',
    summary: 'Submit an entry signed elsewhere (an offline admin key, another node) for the org or a space it governs; every rule is checked here',
    request: { params: OrgParamSchema, body: body(IngestSchema) },
    responses: { 201: json(z.object({ status: z.string(), entry: EntrySchema.optional() }), 'taken'), ...problems(400, 401, 403, 404) }
  }),
  createGrantedSpace: createRoute({
    method: 'post',
    path: '/api/v1/spaces/granted',
    summary: 'Create a space whose writers (and, with read "grants", readers: then encrypted, keys sealed to each reader) are granted by organizations or federations',
    request: { body: body(GrantedSpaceSchema) },
    responses: { 201: json(z.object({ space: z.string(), genesis: EntrySchema }), 'created'), ...problems(400, 401, 403) }
  }),
  createFederation: createRoute({
    method: 'post',
    path: '/api/v1/federations',
    summary: 'Create a federation of organizations (its genesis and charter); in force once each accepts',
    request: { body: body(CreateFederationSchema) },
    responses: { 201: json(z.object({ federation: z.string(), genesis: EntrySchema }), 'created'), ...problems(400, 401, 403) }
  }),
  acceptFederation: createRoute({
    method: 'post',
    path: '/api/v1/federations/{federation}/accept',
    summary: 'Accept a federation for an organization this node administers',
    request: { params: FederationParamSchema, body: body(AcceptFederationSchema) },
    responses: { 201: json(EntrySchema, 'accepted'), ...problems(400, 401, 403, 404) }
  }),
  federation: createRoute({
    method: 'get',
    path: '/api/v1/federations/{federation}',
    summary: 'A federation: its organizations, which accepted, whether it is in force',
    request: { params: FederationParamSchema },
    responses: { 200: json(FederationSchema, 'federation'), ...problems(401, 403, 404) }
  }),
  createMarket: createRoute({
    method: 'post',
    path: '/api/v1/markets',
    summary: 'Create a market anyone may announce in and apply to; this node joins it',
    request: { body: body(CreateMarketSchema) },
    responses: { 201: json(z.object({ market: z.string(), genesis: EntrySchema }), 'created'), ...problems(400, 401, 403) }
  }),
  listMarkets: createRoute({
    method: 'get',
    path: '/api/v1/markets',
    summary: 'The markets this node knows: held here, or announced in an org space held here, with the orgs and federations they belong to',
    responses: { 200: json(z.object({ markets: z.array(MarketSummarySchema) }), 'markets'), ...problems(401, 403) }
  }),
  market: createRoute({
    method: 'get',
    path: '/api/v1/markets/{market}',
    summary: 'A market: announcements, each with its applications and their signed decisions',
    request: { params: MarketParamSchema },
    responses: { 200: json(MarketSchema, 'market'), ...problems(401, 403, 404) }
  }),
  announce: createRoute({
    method: 'post',
    path: '/api/v1/markets/{market}/announcements',
    summary: 'Announce a task',
    request: { params: MarketParamSchema, body: body(AnnounceSchema) },
    responses: { 201: json(EntrySchema, 'announced'), ...problems(400, 401, 403, 404) }
  }),
  apply: createRoute({
    method: 'post',
    path: '/api/v1/markets/{market}/applications',
    summary: 'Apply for an announced task',
    request: { params: MarketParamSchema, body: body(ApplySchema) },
    responses: { 201: json(EntrySchema, 'applied'), ...problems(400, 401, 403, 404) }
  }),
  decide: createRoute({
    method: 'post',
    path: '/api/v1/markets/{market}/applications/{id}/{decision}',
    summary: 'Accept or decline an application, with a signed reason (the announcer, or a reviewer or admin the market grants)',
    request: { params: DecisionParamSchema, body: body(DecisionSchema) },
    responses: { 201: json(EntrySchema, 'decided'), ...problems(400, 401, 403, 404) }
  })
}

export type Org = z.infer<typeof OrgSchema>
export type OrgSummary = z.infer<typeof OrgSummarySchema>
export type OrgSpace = z.infer<typeof OrgSpaceSchema>
export type Revoked = z.infer<typeof RevokedSchema>
export type Federation = z.infer<typeof FederationSchema>
export type Market = z.infer<typeof MarketSchema>
export type MarketSummary = z.infer<typeof MarketSummarySchema>
export type Announcement = z.infer<typeof AnnouncementSchema>
