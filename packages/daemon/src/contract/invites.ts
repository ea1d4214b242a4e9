import { createRoute, z } from '@hono/zod-openapi'
import { CREDENTIAL_ROLES } from '@mutual/protocol'
import { body, idParam, json, problems } from './common.js'
import { BoardParamSchema } from './boards.js'

/** Invites of every kind (a board's writer, an organization's member) and joining with a ticket. */

export const MAX_INVITE_SECONDS = 365 * 24 * 3600
export const MAX_INVITE_USES = 10_000

export const INVITE_KINDS = ['board', 'org'] as const
export const INVITE_STATUSES = ['active', 'expired', 'used', 'revoked'] as const

const inviteId = z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' }, description: 'invite id' })

export const InviteParamSchema = z.object({ id: inviteId })
export const BoardInviteParamSchema = BoardParamSchema.extend({ id: inviteId })
export const OrgParamSchema = z.object({ org: idParam('org', 'org space id') })
export const OrgInviteParamSchema = OrgParamSchema.extend({ id: inviteId })

const limits = {
  expiresInSeconds: z.number().int().min(1).max(MAX_INVITE_SECONDS).optional().openapi({ description: 'default 7 days' }),
  uses: z.number().int().min(1).max(MAX_INVITE_USES).optional().openapi({ description: 'default 1' })
}

export const CreateInviteSchema = z.object(limits).openapi('CreateInvite')

export const OrgInviteRequestSchema = z.object({
  roles: z.array(z.enum(CREDENTIAL_ROLES)).min(1).max(8).optional().openapi({ description: 'the credential\'s roles; default member' }),
  ...limits
}).openapi('OrgInviteRequest')

export const CreatedInviteSchema = z.object({
  ticket: z.string().openapi({ description: 'mutual1:… — one string to give the invitee' }),
  id: z.string(),
  kind: z.enum(INVITE_KINDS),
  space: z.string(),
  expires: z.string(),
  uses: z.number().int()
}).openapi('CreatedInvite')

export const InviteSchema = z.object({
  id: z.string(),
  kind: z.enum(INVITE_KINDS),
  space: z.string().openapi({ description: 'the board or organization invited to' }),
  name: z.string().openapi({ description: 'its name' }),
  roles: z.array(z.string()).openapi({ description: 'an org invite: the roles its credential names' }),
  created: z.string(),
  expires: z.string(),
  uses: z.number().int(),
  used: z.number().int(),
  revoked: z.boolean(),
  status: z.enum(INVITE_STATUSES)
}).openapi('Invite')

export const JoinSchema = z.object({ ticket: z.string().min(1).max(16 * 1024) }).openapi('Join')

export const JoinResultSchema = z.union([
  z.object({ kind: z.literal('board'), board: z.string(), name: z.string(), grant: z.string() }),
  z.object({ kind: z.literal('org'), org: z.string(), name: z.string(), credential: z.string() })
]).openapi('JoinResult')

const Invites = json(z.object({ invites: z.array(InviteSchema) }), 'invites')

export const inviteRoutes = {
  createBoardInvite: createRoute({
    method: 'post',
    path: '/api/v1/boards/{board}/invites',
    summary: 'Invite a writer: a one-string ticket with an expiry and a number of uses (the creator only)',
    request: { params: BoardParamSchema, body: body(CreateInviteSchema, false) },
    responses: { 201: json(CreatedInviteSchema, 'the ticket'), ...problems(400, 401, 403, 404) }
  }),
  boardInvites: createRoute({
    method: 'get',
    path: '/api/v1/boards/{board}/invites',
    summary: "The board's invites made here (never their secrets)",
    request: { params: BoardParamSchema },
    responses: { 200: Invites, ...problems(401, 403, 404) }
  }),
  revokeBoardInvite: createRoute({
    method: 'delete',
    path: '/api/v1/boards/{board}/invites/{id}',
    summary: 'Revoke an invite: its ticket no longer works',
    request: { params: BoardInviteParamSchema },
    responses: { 200: json(InviteSchema, 'the revoked invite'), ...problems(401, 403, 404) }
  }),
  createOrgInvite: createRoute({
    method: 'post',
    path: '/api/v1/orgs/{org}/invites',
    summary: 'Invite a member: a ticket for `mutual join` that redeems a credential with these roles (this node must be an admin)',
    request: { params: OrgParamSchema, body: body(OrgInviteRequestSchema) },
    responses: { 201: json(CreatedInviteSchema, 'the ticket'), ...problems(400, 401, 403, 404) }
  }),
  orgInvites: createRoute({
    method: 'get',
    path: '/api/v1/orgs/{org}/invites',
    summary: "The organization's invites made here (never their secrets)",
    request: { params: OrgParamSchema },
    responses: { 200: Invites, ...problems(401, 403, 404) }
  }),
  revokeOrgInvite: createRoute({
    method: 'delete',
    path: '/api/v1/orgs/{org}/invites/{id}',
    summary: 'Revoke an organization invite: its ticket no longer works',
    request: { params: OrgInviteParamSchema },
    responses: { 200: json(InviteSchema, 'the revoked invite'), ...problems(401, 403, 404) }
  }),
  invites: createRoute({
    method: 'get',
    path: '/api/v1/invites',
    summary: 'Every invite made here, of every kind, oldest first (never their secrets)',
    responses: { 200: Invites, ...problems(401, 403) }
  }),
  revokeInvite: createRoute({
    method: 'delete',
    path: '/api/v1/invites/{id}',
    summary: 'Revoke an invite of any kind by its id',
    request: { params: InviteParamSchema },
    responses: { 200: json(InviteSchema, 'the revoked invite'), ...problems(401, 403, 404) }
  }),
  join: createRoute({
    method: 'post',
    path: '/api/v1/join',
    summary: 'Join a board or an organization with an invite ticket: dial the inviter, redeem the invite, sync the space',
    request: { body: body(JoinSchema) },
    responses: { 200: json(JoinResultSchema, 'joined: a board (its grant) or an organization (its credential)'), ...problems(400, 401, 403, 404, 410, 502, 504) }
  })
}

export type Invite = z.infer<typeof InviteSchema>
export type CreatedInvite = z.infer<typeof CreatedInviteSchema>
export type JoinResult = z.infer<typeof JoinResultSchema>
export type InviteKind = typeof INVITE_KINDS[number]
