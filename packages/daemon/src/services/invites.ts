import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { CREDENTIAL_ROLES, UnauthorizedError, cidString, decode, encode, type CID, type Identity, type Role } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import { byReach } from '@mutual/node'
import { NotAdminError, issueCredential, loadOrgState } from '@mutual/org'
import type { CreatedInvite, Invite, InviteKind } from '../contract/index.js'
import { MAX_INVITE_SECONDS, MAX_INVITE_USES } from '../contract/index.js'
import {
  InviteError, InviteExpiredError, InviteRevokedError, InviteUsedError, InvalidRequestError, UnknownInviteError
} from '../errors.js'
import type { Boards } from './board-replicas.js'
import { INVITE_SECRET_BYTES, encodeTicket } from './ticket.js'

export interface InviteRequest {
  space: string
  id: string
  secret: Uint8Array
  /** the identity to grant */
  member: string
}

/** What an invite keeps in the log's meta: a hash of its secret, never the secret. */
interface InviteRecord {
  v: 1
  hash: Uint8Array
  created: number
  expires: number
  uses: number
  used: number
  revoked: boolean
  /** an org invite: the roles its credential names (a board invite has none) */
  roles?: Role[]
}

export interface InviteOptions {
  expiresInSeconds?: number
  uses?: number
  /** an org invite: the credential's roles (default member) */
  roles?: Role[]
}

export const DEFAULT_INVITE_SECONDS = 7 * 24 * 3600
const PREFIX = 'invite1/'

/** Versioned meta key of one invite (`invite1/<space>/<id>`). */
export function inviteKey (space: string, id: string): string {
  return `${PREFIX}${space}/${id}`
}

export interface InvitesInit {
  log: Log
  identity: Identity
  boards: Boards
  /** the addresses a ticket names: this node's, each ending in /p2p/<id> */
  addresses: () => string[]
  now?: () => number
}

/**
 * Invites at the inviter, of every kind: made, listed, revoked, and redeemed by a joiner over
 * `/mutual/invite/1.0.0` — a board invite grants a writer (the board's creator invites), an
 * organization invite issues a credential (an admin invites). Redemptions run one at a time, so
 * two joiners cannot both take an invite's last use; the use is taken durably before the grant
 * or credential is written, and given back if that fails (a crash in between loses a use rather
 * than granting twice).
 */
export class Invites {
  private readonly init: InvitesInit
  private readonly now: () => number
  private tail: Promise<unknown> = Promise.resolve()

  constructor (init: InvitesInit) {
    this.init = init
    this.now = init.now ?? Date.now
  }

  /** Makes an invite to a board (this node must be its creator) or an org (this node must be an admin). */
  async create (kind: InviteKind, space: string, options: InviteOptions = {}): Promise<CreatedInvite> {
    const seconds = options.expiresInSeconds ?? DEFAULT_INVITE_SECONDS
    const uses = options.uses ?? 1
    if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_INVITE_SECONDS) throw new InvalidRequestError(`expiresInSeconds must be 1 to ${MAX_INVITE_SECONDS}`)
    if (!Number.isSafeInteger(uses) || uses < 1 || uses > MAX_INVITE_USES) throw new InvalidRequestError(`uses must be 1 to ${MAX_INVITE_USES}`)
    let roles: Role[] | undefined
    if (kind === 'board') {
      await this.asBoardCreator(space)
    } else {
      await this.asOrgAdmin(space)
      const asked: Role[] = [...new Set(options.roles ?? ['member' as const])]
      roles = asked
      if (asked.length === 0 || asked.some((r) => !(CREDENTIAL_ROLES as string[]).includes(r))) throw new InvalidRequestError(`roles must be some of ${CREDENTIAL_ROLES.join(', ')}`)
    }
    // The joiner tries them in order: the ones reachable from farthest away first.
    const addrs = byReach(this.init.addresses()).slice(0, 32)
    if (addrs.length === 0) throw new InviteError('this node listens on no address, so no one could redeem an invite: check "listen" in config.json')
    const id = inviteId()
    const secret = randomBytes(INVITE_SECRET_BYTES)
    const created = this.now()
    const expires = created + seconds * 1000
    await this.put(space, id, { v: 1, hash: sha256(secret), created, expires, uses, used: 0, revoked: false, ...(roles === undefined ? {} : { roles }) })
    const ticket = encodeTicket({ v: 1, kind, space, addrs, inviter: this.init.identity.id, id, secret: new Uint8Array(secret), expires })
    return { ticket, id, kind, space, expires: new Date(expires).toISOString(), uses }
  }

  /** Invites made here, oldest first: of one board or org, of one kind, or all. */
  async list (filter: { kind?: InviteKind, space?: string } = {}): Promise<Invite[]> {
    if (filter.space !== undefined) this.assertKind(filter.space, filter.kind)
    const prefix = filter.space === undefined ? PREFIX : inviteKey(filter.space, '')
    const out: Invite[] = []
    for await (const [key, bytes] of this.init.log.metaPrefix(prefix)) {
      const record = readRecord(bytes)
      const [space, id] = key.slice(PREFIX.length).split('/')
      if (record === undefined || id === undefined) continue
      const info = this.info(space, id, record)
      if (filter.kind === undefined || info.kind === filter.kind) out.push(info)
    }
    return out.sort((a, b) => a.created < b.created ? -1 : a.created > b.created ? 1 : a.id < b.id ? -1 : 1)
  }

  /** Revokes an invite by id (within one board or org when `space` is given): its ticket no longer works. */
  async revoke (id: string, scope: { kind?: InviteKind, space?: string } = {}): Promise<Invite> {
    const found = (await this.list(scope)).find((i) => i.id === id)
    const where = scope.space === undefined ? '' : ` for ${scope.kind ?? 'space'} ${scope.space}`
    if (found === undefined) throw new UnknownInviteError(`no invite ${id}${where}`)
    return await this.exclusive(async () => {
      const record = await this.get(found.space, id)
      if (record === undefined) throw new UnknownInviteError(`no invite ${id}${where}`)
      record.revoked = true
      await this.put(found.space, id, record)
      return this.info(found.space, id, record)
    })
  }

  /** Checks an invite and grants `member` the board, or issues them the org's credential; resolves to that entry's id. */
  async redeem (request: InviteRequest): Promise<string> {
    const { space, id, secret, member } = request
    const kind = this.kindOf(space)
    return await this.exclusive(async () => {
      const record = await this.get(space, id)
      if (record === undefined || !secretMatches(record.hash, secret) || (kind === 'org') !== (record.roles !== undefined)) {
        throw new UnknownInviteError(`no invite ${id} for ${kind === 'org' ? 'organization' : 'board'} ${space}, or its secret does not match`)
      }
      if (record.revoked) throw new InviteRevokedError(`invite ${id} was revoked`)
      if (record.expires <= this.now()) throw new InviteExpiredError(`invite ${id} expired at ${new Date(record.expires).toISOString()}`)
      if (record.used >= record.uses) throw new InviteUsedError(`invite ${id} has been used (${record.used} of ${record.uses} uses)`)
      const admit = kind === 'org'
        ? await this.credentialFor(space, member, record.roles as Role[])
        : await this.grantFor(space, member)
      await this.put(space, id, { ...record, used: record.used + 1 })
      try {
        return cidString((await admit()).id)
      } catch (err) {
        await this.put(space, id, record)
        throw err
      }
    })
  }

  /** Checks that this node can admit a board writer now; the returned step writes the grant. */
  private async grantFor (board: string, member: string): Promise<() => Promise<{ id: CID }>> {
    const replica = await this.init.boards.open(board)
    if (replica.creator !== this.init.identity.id) {
      throw new InviteError(`the inviter is not the board's creator (${replica.creator}), and only the creator can grant writers`)
    }
    return async () => await replica.grant(member)
  }

  private async credentialFor (org: string, member: string, roles: Role[]): Promise<() => Promise<{ id: CID }>> {
    await this.asOrgAdmin(org)
    return async () => await issueCredential(this.init.log, this.init.identity, org, { member, roles: roles as Array<Exclude<Role, 'admin'>>, kind: 'person' })
  }

  private kindOf (space: string): InviteKind | undefined {
    const kind = this.init.log.genesis(space)?.entry.body.kind
    return kind === 'org' ? 'org' : kind === 'board' ? 'board' : undefined
  }

  /** A board or org this node holds, of the kind asked for (UnknownInviteError otherwise, naming what it is). */
  private assertKind (space: string, kind: InviteKind | undefined): void {
    const held = this.kindOf(space)
    if (held === undefined || (kind !== undefined && held !== kind)) throw new UnknownInviteError(`no ${kind === 'org' ? 'organization' : kind ?? 'board or organization'} ${space.slice(0, 128)} here`)
  }

  private async asBoardCreator (board: string): Promise<void> {
    const replica = await this.init.boards.open(board)
    if (replica.creator !== this.init.identity.id) {
      throw new UnauthorizedError(`only the board's creator (${replica.creator}) can invite writers; this node is not its creator`)
    }
  }

  private async asOrgAdmin (org: string): Promise<void> {
    if (this.init.log.genesis(org)?.entry.body.kind !== 'org') throw new UnknownInviteError(`no organization ${org.slice(0, 128)} here`)
    const admin = (await loadOrgState(this.init.log, org)).admins.get(this.init.identity.id)
    if (admin === undefined || admin.removed !== undefined) throw new NotAdminError(`this node (${this.init.identity.id}) is not an admin of ${org}, so it cannot invite members`)
  }

  private info (space: string, id: string, r: InviteRecord): Invite {
    const status = r.revoked ? 'revoked' : r.expires <= this.now() ? 'expired' : r.used >= r.uses ? 'used' : 'active'
    return {
      id,
      kind: r.roles === undefined ? 'board' : 'org',
      space,
      name: this.init.log.genesis(space)?.entry.body.name ?? '',
      roles: r.roles ?? [],
      created: new Date(r.created).toISOString(),
      expires: new Date(r.expires).toISOString(),
      uses: r.uses,
      used: r.used,
      revoked: r.revoked,
      status
    }
  }

  private async get (space: string, id: string): Promise<InviteRecord | undefined> {
    const bytes = await this.init.log.getMeta(inviteKey(space, id))
    return bytes === undefined ? undefined : readRecord(bytes)
  }

  private async put (space: string, id: string, record: InviteRecord): Promise<void> {
    await this.init.log.putMeta(inviteKey(space, id), encode(record))
  }

  private async exclusive<T> (fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn)
    this.tail = run.catch(() => {})
    return await run
  }
}

/** A random invite id that starts with a letter or digit, so no command line takes it for an option. */
function inviteId (): string {
  for (;;) {
    const id = randomBytes(9).toString('base64url')
    if (/^[A-Za-z0-9]/.test(id)) return id
  }
}

function sha256 (bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest())
}

function secretMatches (hash: Uint8Array, secret: Uint8Array): boolean {
  const actual = sha256(secret)
  return hash.byteLength === actual.byteLength && timingSafeEqual(hash, actual)
}

/** A stored invite, or undefined for bytes this version did not write. */
function readRecord (bytes: Uint8Array): InviteRecord | undefined {
  let r: Partial<InviteRecord>
  try {
    r = decode<Partial<InviteRecord>>(bytes)
  } catch (err) {
    if ((err as Error).name === 'EntryDecodeError') return undefined
    throw err
  }
  if (r === null || typeof r !== 'object' || r.v !== 1 || !(r.hash instanceof Uint8Array)) return undefined
  const ints = [r.created, r.expires, r.uses, r.used]
  if (!ints.every((n) => Number.isSafeInteger(n)) || typeof r.revoked !== 'boolean') return undefined
  if (r.roles !== undefined && !(Array.isArray(r.roles) && r.roles.every((role) => (CREDENTIAL_ROLES as string[]).includes(role)))) return undefined
  return r as InviteRecord
}
