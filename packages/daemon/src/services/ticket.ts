import { z } from 'zod'
import { decode, encode, isIdentityId, parseCid } from '@mutual/protocol'
import { INVITE_KINDS, type InviteKind } from '../contract/index.js'
import { InvalidTicketError, OutdatedTicketError } from '../errors.js'

/** Every ticket starts so; a future layout gets a new prefix. */
export const TICKET_PREFIX = 'mutual1:'
/** A ticket a person pastes is short; anything much longer is not one of ours. */
export const MAX_TICKET_CHARS = 8 * 1024
export const INVITE_SECRET_BYTES = 16

/**
 * An invite (DESIGN §6, invites): what the joiner needs to find the inviter and redeem it —
 * a board invite grants a writer, an organization invite issues a credential. Only a hash of
 * `secret` stays with the inviter.
 */
export interface Ticket {
  v: 1
  /** what the invite is to */
  kind: InviteKind
  /** the board's (or the org's) space id */
  space: string
  /** the inviter's dialable addresses, each ending in `/p2p/<inviter>` */
  addrs: string[]
  /** the inviter's identity (its libp2p peer id) */
  inviter: string
  /** the invite's id at the inviter */
  id: string
  secret: Uint8Array
  /** expiry, ms since the epoch */
  expires: number
}

export const inviteIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an invite id is 1 to 64 letters, digits, - or _')

const ticketFields = {
  v: z.literal(1),
  space: z.string().max(128).refine((s) => parseCid(s) !== undefined, 'not a space id'),
  addrs: z.array(z.string().min(1).max(512).refine((a) => a.startsWith('/') && a.includes('/p2p/'), 'not a multiaddr ending in /p2p/<peer>')).min(1).max(32),
  inviter: z.string().max(128).refine(isIdentityId, 'not an identity id'),
  id: inviteIdSchema,
  secret: z.instanceof(Uint8Array).refine((b) => b.byteLength === INVITE_SECRET_BYTES, `not ${INVITE_SECRET_BYTES} bytes`),
  expires: z.number().int().nonnegative()
}
const ticketSchema = z.strictObject({ ...ticketFields, kind: z.enum(INVITE_KINDS) })
/** The first layout, before tickets named their kind (a board invite, or `kind: 'org'`). */
const firstLayout = z.strictObject({ ...ticketFields, kind: z.literal('org').optional() })

/** `mutual1:` + base64url(DAG-CBOR ticket): one string to copy and paste. */
export function encodeTicket (ticket: Ticket): string {
  return TICKET_PREFIX + Buffer.from(encode(ticket)).toString('base64url')
}

/** Reads a pasted ticket (surrounding white space is ignored); InvalidTicketError says what is wrong. */
export function decodeTicket (text: string): Ticket {
  const trimmed = text.trim()
  if (!trimmed.startsWith(TICKET_PREFIX)) throw new InvalidTicketError(`not a Mutual invite ticket: it must start with "${TICKET_PREFIX}"`)
  if (trimmed.length > MAX_TICKET_CHARS) throw new InvalidTicketError(`a ticket is at most ${MAX_TICKET_CHARS} characters`)
  const body = trimmed.slice(TICKET_PREFIX.length)
  if (!/^[A-Za-z0-9_-]+$/.test(body)) throw new InvalidTicketError('the ticket is cut or altered: it is not base64url after the prefix')
  let value: unknown
  try {
    value = decode(Buffer.from(body, 'base64url'))
  } catch (err) {
    if ((err as Error).name !== 'EntryDecodeError') throw err
    throw new InvalidTicketError('the ticket is cut or altered: it does not decode', { cause: err })
  }
  const parsed = ticketSchema.safeParse(value)
  if (!parsed.success && firstLayout.safeParse(value).success) {
    throw new OutdatedTicketError('this ticket was made by an earlier version of Mutual, before tickets named what they invite to: ask the inviter for a new one')
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new InvalidTicketError(`the ticket is not valid: ${issue.path.join('.') || '(root)'}: ${issue.message}`)
  }
  return parsed.data as Ticket
}
