import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import { parseCid } from '@mutual/protocol'
import {
  NotAdminError, OrgError, approveProposal, changeSchema, createGrantedSpace, createOrg, issueCredential, loadOrgState, proposeChange,
  revokeCredential, spacePolicySchema, credentialSchema, CREDENTIAL_ROLES, type OrgState, type Role
} from '@mutual/org'
import type { DaemonContext } from '../context.js'
import { InvalidRequestError } from '../errors.js'
import { MAX_INVITE_SECONDS, MAX_INVITE_USES } from '../invites.js'
import { entryToJson, fromJson, toJson } from '../json.js'
import { EntrySchema, json, problems } from './schemas.js'

const OrgParamSchema = z.object({
  org: z.string().min(1).max(128).openapi({ param: { name: 'org', in: 'path' }, description: 'org space id' })
})
const ProposalParamSchema = OrgParamSchema.extend({
  id: z.string().min(1).max(128).openapi({ param: { name: 'id', in: 'path' }, description: 'proposal entry id' })
})

const OrgSchema = z.object({
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

/** An org's state as JSON: members with roles, admins, threshold, delegations, policy versions, open proposals. */
export function orgToJson (state: OrgState, name: string): z.infer<typeof OrgSchema> {
  return {
    org: state.org,
    name,
    founder: state.founder,
    admins: [...state.admins].map(([id, a]) => ({ id, since: a.since, removed: a.removed !== undefined })),
    members: [...state.members].map(([id, m]) => ({
      id, roles: m.roles, credential: m.credential, kind: m.kind, ...(m.expires !== undefined ? { expires: m.expires } : {}), revoked: m.revoked !== undefined
    })),
    threshold: { ...state.threshold },
    delegations: [...state.delegations].map(([agent, d]) => ({ agent, id: d.id, operator: d.operator, scopes: d.scopes, expires: d.expires, revoked: d.revoked !== undefined })),
    policies: state.policies.map((p) => ({ version: p.version, proposal: p.proposal, enactedBy: p.enactedBy, policy: toJson(p.policy) })),
    proposals: [...state.proposals.values()].map((p) => ({
      id: p.id, author: p.author, change: toJson(p.change), threshold: p.threshold, approvals: p.approvals.map((a) => ({ id: a.id, author: a.author, as: a.as }))
    }))
  }
}

const CreateOrgSchema = z.object({ name: z.string().min(1).max(200) }).openapi('CreateOrg')
const CredentialRequestSchema = z.object({
  member: z.string().min(1).max(128),
  roles: z.array(z.string().max(32)).min(1).max(16),
  expires: z.number().int().optional(),
  kind: z.enum(['person', 'agent', 'organization']).optional().openapi({ description: 'default person' })
}).openapi('CredentialRequest')
const OrgInviteRequestSchema = z.object({
  roles: z.array(z.enum(CREDENTIAL_ROLES as [string, ...string[]])).min(1).max(8).optional().openapi({ description: 'the credential\'s roles; default member' }),
  expiresInSeconds: z.number().int().min(1).max(MAX_INVITE_SECONDS).optional().openapi({ description: 'default 7 days' }),
  uses: z.number().int().min(1).max(MAX_INVITE_USES).optional().openapi({ description: 'default 1' })
}).openapi('OrgInviteRequest')
const OrgInviteSchema = z.object({ ticket: z.string(), id: z.string(), expires: z.string(), uses: z.number().int() }).openapi('OrgInvite')
const RevocationRequestSchema = z.object({
  member: z.string().min(1).max(128).openapi({ description: 'the member whose live credentials are revoked (or a credential id)' }),
  reason: z.string().min(1).max(1024)
}).openapi('RevocationRequest')
const ProposalRequestSchema = z.object({ change: z.unknown() }).openapi('ProposalRequest')
const IngestSchema = z.object({ entry: z.string().min(1).max(3 * 1024 * 1024).openapi({ description: 'a signed entry, base64' }) }).openapi('IngestEntry')
const GrantedSpaceSchema = z.object({
  name: z.string().min(1).max(200),
  kind: z.enum(['board', 'market', 'ledger', 'raw']).optional().openapi({ description: 'default board' }),
  grants: z.array(z.unknown()).min(1).max(64),
  read: z.enum(['public', 'grants']).optional().openapi({ description: 'default public' }),
  encrypted: z.boolean().optional()
}).openapi('GrantedSpace')

export function orgRoutes (app: OpenAPIHono, ctx: DaemonContext): void {
  const { log, node, identity } = ctx

  const nameOf = (space: string): string => log.genesis(space)?.entry.body.name ?? ''
  const stateOf = async (org: string): Promise<OrgState> => await loadOrgState(log, org)
  /** This node's identity must be a current admin of `org`. */
  const asAdmin = (state: OrgState): void => {
    const admin = state.admins.get(identity.id)
    if (admin === undefined || admin.removed !== undefined) throw new NotAdminError(`this node (${identity.id}) is not an admin of ${state.org}`)
  }

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/orgs',
    summary: 'Create an organization; this node is its founder and first admin, and joins it',
    request: { body: { required: true, content: { 'application/json': { schema: CreateOrgSchema } } } },
    responses: { 201: json(z.object({ org: z.string(), genesis: EntrySchema }), 'created'), ...problems(400, 401, 403) }
  }), async (c) => {
    const { name } = c.req.valid('json')
    const genesis = await createOrg(log, identity, name)
    await node.join(genesis.space)
    return c.json({ org: genesis.space, genesis: entryToJson(genesis) }, 201)
  })

  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/orgs',
    summary: 'Organizations held here, with this node\'s roles',
    responses: { 200: json(z.object({ orgs: z.array(z.object({ org: z.string(), name: z.string(), members: z.number().int(), roles: z.array(z.string()) })) }), 'orgs'), ...problems(401, 403) }
  }), (c) => {
    const orgs = log.spaces().sort().flatMap((space) => {
      if (log.genesis(space)?.entry.body.kind !== 'org') return []
      const state = ctx.orgs.state(space)
      if (state === undefined) return []
      const roles = [...(state.members.get(identity.id)?.roles ?? [])] as string[]
      const admin = state.admins.get(identity.id)
      if (admin !== undefined && admin.removed === undefined) roles.unshift('admin')
      return [{ org: space, name: nameOf(space), members: state.members.size, roles: [...new Set(roles)] }]
    })
    return c.json({ orgs }, 200)
  })

  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/orgs/{org}',
    summary: 'An organization: members with roles, admins, threshold, delegations, policy versions, open proposals',
    request: { params: OrgParamSchema },
    responses: { 200: json(OrgSchema, 'org'), ...problems(401, 403, 404) }
  }), async (c) => {
    const { org } = c.req.valid('param')
    return c.json(orgToJson(await stateOf(org), nameOf(org)), 200)
  })

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/orgs/{org}/credentials',
    summary: 'Issue a credential (this node must be an admin)',
    request: { params: OrgParamSchema, body: { required: true, content: { 'application/json': { schema: CredentialRequestSchema } } } },
    responses: { 201: json(EntrySchema, 'issued'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const { org } = c.req.valid('param')
    const request = c.req.valid('json')
    const body = parse(credentialSchema, { ...request, kind: request.kind ?? 'person' }, 'credential')
    asAdmin(await stateOf(org))
    return c.json(entryToJson(await issueCredential(log, identity, org, body)), 201)
  })

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/orgs/{org}/invites',
    summary: 'Invite a member: a ticket for `mutual join` that redeems a credential with these roles (this node must be an admin)',
    request: { params: OrgParamSchema, body: { required: true, content: { 'application/json': { schema: OrgInviteRequestSchema } } } },
    responses: { 201: json(OrgInviteSchema, 'the ticket'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const { org } = c.req.valid('param')
    const request = c.req.valid('json')
    return c.json(await ctx.invites.createOrg(org, { ...request, roles: request.roles as Role[] | undefined }), 201)
  })

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/orgs/{org}/revocations',
    summary: 'Revoke a member\'s live credentials, naming their log heads as this node has seen them',
    request: { params: OrgParamSchema, body: { required: true, content: { 'application/json': { schema: RevocationRequestSchema } } } },
    responses: { 201: json(z.object({ revocations: z.array(EntrySchema) }), 'revoked'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const { org } = c.req.valid('param')
    const { member, reason } = c.req.valid('json')
    const state = await stateOf(org)
    asAdmin(state)
    const ids = state.credentials.has(member)
      ? [member]
      : [...state.credentials.values()].filter((cr) => cr.member === member && cr.revoked === undefined).map((cr) => cr.id)
    if (ids.length === 0) throw new OrgError(`${member} holds no live credential of ${org}`)
    const revocations = []
    for (const id of ids) revocations.push(entryToJson(await revokeCredential(log, identity, org, id, reason)))
    return c.json({ revocations }, 201)
  })

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/orgs/{org}/proposals',
    summary: 'Propose a change (admins, value policy or threshold)',
    request: { params: OrgParamSchema, body: { required: true, content: { 'application/json': { schema: ProposalRequestSchema } } } },
    responses: { 201: json(EntrySchema, 'proposed'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const { org } = c.req.valid('param')
    const change = parse(changeSchema, fromJson(c.req.valid('json').change, 'change'), 'change')
    asAdmin(await stateOf(org))
    return c.json(entryToJson(await proposeChange(log, identity, org, change)), 201)
  })

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/orgs/{org}/proposals/{id}/approve',
    summary: 'Approve a proposal as an admin or union representative; enacts it once the threshold is met',
    request: { params: ProposalParamSchema },
    responses: { 201: json(z.object({ approval: EntrySchema, enacted: z.boolean() }), 'approved'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const { org, id } = c.req.valid('param')
    const approval = await approveProposal(log, identity, org, id)
    return c.json({ approval: entryToJson(approval), enacted: approval.entry.body.enacts }, 201)
  })

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/orgs/{org}/entries',
    summary: 'Submit an entry signed elsewhere (an offline admin key, another node) for the org or a space it governs; every rule is checked here',
    request: { params: OrgParamSchema, body: { required: true, content: { 'application/json': { schema: IngestSchema } } } },
    responses: { 201: json(z.object({ status: z.string(), entry: EntrySchema.optional() }), 'taken'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const { org } = c.req.valid('param')
    await stateOf(org)
    const bytes = Buffer.from(c.req.valid('json').entry, 'base64')
    const { status } = await log.ingest(bytes)
    await ctx.orgs.settled()
    return c.json({ status }, 201)
  })

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/spaces/granted',
    summary: 'Create a space whose writers (and, with read "grants", readers) are granted by organizations or federations',
    request: { body: { required: true, content: { 'application/json': { schema: GrantedSpaceSchema } } } },
    responses: { 201: json(z.object({ space: z.string(), genesis: EntrySchema }), 'created'), ...problems(400, 401, 403) }
  }), async (c) => {
    const request = c.req.valid('json')
    const policy = parse(spacePolicySchema, { grants: request.grants, read: request.read ?? 'public' }, 'policy')
    for (const g of policy.grants) {
      const target = 'org' in g ? g.org : g.federation
      if (parseCid(target) === undefined) throw new InvalidRequestError(`"${target}" is not a space id`)
    }
    const genesis = await createGrantedSpace(log, identity, { kind: request.kind ?? 'board', name: request.name, policy, encrypted: request.encrypted ?? false })
    await node.join(genesis.space)
    return c.json({ space: genesis.space, genesis: entryToJson(genesis) }, 201)
  })
}

/** Validates against a record schema, as a 400 naming the first issue. */
export function parse<T> (schema: z.ZodType<T> | { safeParse: (v: unknown) => { success: boolean, data?: T, error?: { issues: Array<{ path: PropertyKey[], message: string }> } } }, value: unknown, what: string): T {
  const result = (schema as any).safeParse(value) as { success: boolean, data?: T, error?: { issues: Array<{ path: PropertyKey[], message: string }> } }
  if (result.success) return result.data as T
  const issue = result.error?.issues[0]
  throw new InvalidRequestError(`${what}${issue !== undefined && issue.path.length > 0 ? '.' + issue.path.map(String).join('.') : ''}: ${issue?.message ?? 'invalid'}`)
}
