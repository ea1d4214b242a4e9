import { lpStream } from '@libp2p/utils'
import { z } from 'zod'
import { decode, encode, isIdentityId, parseCid } from '@mutual/protocol'
import { isOversizeFrame, type MutualNode } from '@mutual/node'
import {
  InviteError, InviteExpiredError, InviteRevokedError, InviteUsedError, UnknownInviteError
} from '../errors.js'
import type { InviteRequest, Invites } from './invites.js'
import { INVITE_SECRET_BYTES, inviteIdSchema } from './ticket.js'

/**
 * `/mutual/invite/1.0.0`: the joiner opens a stream to the inviter and sends one length-prefixed
 * DAG-CBOR request `{ v: 1, space, id, secret, member }`; the inviter answers
 * `{ v: 1, ok: true, grant }` (the `board/grant` entry's id, or for an org invite the `org/credential`'s) or `{ v: 1, ok: false, error: { name, message } }`.
 */
export const INVITE_PROTOCOL = '/mutual/invite/1.0.0'
const MAX_MESSAGE_BYTES = 4 * 1024
const TIMEOUT_MS = 20_000

type StreamHandler = Parameters<MutualNode['libp2p']['handle']>[1]

const requestSchema = z.strictObject({
  v: z.literal(1),
  space: z.string().max(128).refine((s) => parseCid(s) !== undefined, 'not a space id'),
  id: inviteIdSchema,
  secret: z.instanceof(Uint8Array).refine((b) => b.byteLength === INVITE_SECRET_BYTES),
  member: z.string().max(128).refine(isIdentityId, 'not an identity id')
})

const responseSchema = z.union([
  z.strictObject({ v: z.literal(1), ok: z.literal(true), grant: z.string().max(128) }),
  z.strictObject({ v: z.literal(1), ok: z.literal(false), error: z.strictObject({ name: z.string().max(64), message: z.string().max(1024) }) })
])

/** Errors an inviter may report, rebuilt as ours; any other refusal becomes an InviteError naming it. */
const REMOTE_ERRORS: Record<string, new (message: string) => Error> = {
  InviteError,
  UnknownInviteError,
  InviteExpiredError,
  InviteUsedError,
  InviteRevokedError
}

/** Answers invite redemptions: registered on the node once it has started. */
export async function handleInvites (node: MutualNode, invites: Invites, onError: (err: Error) => void): Promise<void> {
  const handler: StreamHandler = (stream, connection) => {
    const signal = AbortSignal.timeout(TIMEOUT_MS)
    const lp = lpStream(stream, { maxDataLength: MAX_MESSAGE_BYTES })
    void (async () => {
      let response: unknown
      try {
        const parsed = requestSchema.safeParse(decode((await lp.read({ signal })).subarray()))
        if (!parsed.success) throw new InviteError(`malformed invite request: ${parsed.error.issues[0].path.join('.') || '(root)'}: ${parsed.error.issues[0].message}`)
        const request: InviteRequest = parsed.data
        if (request.member !== connection.remotePeer.toString()) throw new InviteError('an invite grants the peer that redeems it, not another identity')
        response = { v: 1, ok: true, grant: await invites.redeem(request) }
      } catch (err) {
        const e = err as Error
        // A frame announced past the bound is not read, nor answered: the stream is reset.
        if (isOversizeFrame(e)) throw e
        response = { v: 1, ok: false, error: { name: e.name.slice(0, 64), message: e.message.slice(0, 1024) } }
      }
      await lp.write(encode(response), { signal })
      await stream.close({ signal })
    })().catch((err: Error) => {
      stream.abort(err)
      onError(err)
    })
  }
  await node.libp2p.handle(INVITE_PROTOCOL, handler, { maxInboundStreams: 4, maxOutboundStreams: 4 })
}

/** Redeems an invite at the inviter, over a connection already open to it; resolves to the grant's entry id. */
export async function redeemInvite (node: MutualNode, inviter: string, request: InviteRequest, options: { signal?: AbortSignal } = {}): Promise<string> {
  const signal = AbortSignal.any([AbortSignal.timeout(TIMEOUT_MS), ...(options.signal === undefined ? [] : [options.signal])])
  const connection = node.libp2p.getConnections().find((c) => c.remotePeer.toString() === inviter && c.status === 'open')
  if (connection === undefined) throw new InviteError(`not connected to the inviter ${inviter}`)
  const stream = await connection.newStream(INVITE_PROTOCOL, { signal })
  const lp = lpStream(stream, { maxDataLength: MAX_MESSAGE_BYTES })
  let reply: z.infer<typeof responseSchema>
  try {
    await lp.write(encode({ v: 1, ...request }), { signal })
    const parsed = responseSchema.safeParse(decode((await lp.read({ signal })).subarray()))
    if (!parsed.success) throw new InviteError('the inviter answered with a malformed response')
    reply = parsed.data
    await stream.close({ signal })
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
  if (reply.ok) return reply.grant
  const Known = REMOTE_ERRORS[reply.error.name]
  throw Known !== undefined
    ? new Known(`the inviter refused: ${reply.error.message}`)
    : new InviteError(`the inviter refused: ${reply.error.message} (${reply.error.name})`)
}
