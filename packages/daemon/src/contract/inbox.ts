import { createRoute, z } from '@hono/zod-openapi'
import { body, json, problems } from './common.js'

/**
 * The inbox (issue 11, item 5): what needs this node's person, derived from the signed entries of
 * every space it follows. Read state is this node's own, never replicated.
 */

/** Every kind of inbox item; `GET /inbox?kind=` takes a comma-separated list of them. */
export const INBOX_KINDS = [
  'task.assigned',
  'claim.won', 'claim.lost', 'claim.contested',
  'application.received', 'application.accepted', 'application.declined',
  'attestation.requested',
  'dispute.opened', 'dispute.resolved',
  'mention'
] as const

/** At most this many items per answer, and ids per mark-read. */
export const MAX_INBOX_LIMIT = 1000

const itemId = z.string().min(1).max(64)

export const InboxItemSchema = z.object({
  id: z.string().openapi({ description: 'stable: derived from the entry (or comment) it comes from' }),
  kind: z.enum(INBOX_KINDS),
  at: z.string().openapi({ description: 'when it happened (ISO)' }),
  space: z.string().openapi({ description: 'the space of the entry: board, market or ledger' }),
  board: z.string().optional(),
  task: z.string().optional(),
  contribution: z.string().optional().openapi({ description: 'the contribution a dispute is about' }),
  entry: z.string().optional().openapi({ description: 'the signed entry it comes from' }),
  comment: z.string().optional().openapi({ description: 'the comment a mention is in' }),
  actor: z.object({ id: z.string(), name: z.string() }).openapi({ description: 'who did it, with the name this node knows ("" if none)' }),
  text: z.string().openapi({ description: 'one line for people' }),
  read: z.boolean()
}).openapi('InboxItem')

const kindList = z.string().max(1024).refine(
  (text) => text.split(',').every((k) => (INBOX_KINDS as readonly string[]).includes(k)),
  { message: `kinds are a comma-separated list of ${INBOX_KINDS.join(', ')}` }
)

export const InboxQuerySchema = z.object({
  unread: z.enum(['true', 'false']).optional().openapi({ description: 'true: unread items only' }),
  kind: kindList.optional().openapi({ description: 'comma-separated kinds' }),
  limit: z.coerce.number().int().min(1).max(MAX_INBOX_LIMIT).optional().openapi({ description: `newest first, at most this many (default 100, at most ${MAX_INBOX_LIMIT})` })
})

export const InboxCountSchema = z.object({ unread: z.number().int(), total: z.number().int() }).openapi('InboxCount')

export const MarkReadSchema = z.union([
  z.strictObject({ ids: z.array(itemId).min(1).max(MAX_INBOX_LIMIT) }),
  z.strictObject({ all: z.literal(true) })
]).openapi('MarkRead')

export const inboxRoutes = {
  inbox: createRoute({
    method: 'get',
    path: '/api/v1/inbox',
    summary: 'What needs this node\'s person, newest first: claims, applications, disputes, mentions',
    request: { query: InboxQuerySchema },
    responses: { 200: json(z.object({ items: z.array(InboxItemSchema), unread: z.number().int(), total: z.number().int() }), 'items and counts'), ...problems(400, 401, 403) }
  }),
  inboxCount: createRoute({
    method: 'get',
    path: '/api/v1/inbox/count',
    summary: 'How many inbox items are unread',
    responses: { 200: json(InboxCountSchema, 'counts'), ...problems(401, 403) }
  }),
  markRead: createRoute({
    method: 'post',
    path: '/api/v1/inbox/read',
    summary: 'Mark inbox items read: some by id (UnknownInboxItemError if one is not in the inbox; then none is marked), or all',
    request: { body: body(MarkReadSchema) },
    responses: { 200: json(z.object({ marked: z.array(z.string()), unread: z.number().int() }), 'the items marked and the unread count'), ...problems(400, 401, 403, 404) }
  })
}

export type InboxKind = typeof INBOX_KINDS[number]
export type InboxItem = z.infer<typeof InboxItemSchema>
export type InboxCount = z.infer<typeof InboxCountSchema>
export type MarkRead = z.infer<typeof MarkReadSchema>
