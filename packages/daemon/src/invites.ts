import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { UnauthorizedError, cidString, decode, encode, type Identity } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import { CREDENTIAL_ROLES, NotAdminError, issueCredential, loadOrgState, type Role } from '@mutual/org'
import type { Boards } from './boards.js'
import { addressScope } from './routes/doctor.js'
import {
  InviteError, InviteExpiredError, InviteRevokedError, InviteUsedError, InvalidRequestError, UnknownInviteError
} from './errors.js'
import { INVITE_SECRET_BYTES, encodeTicket } from './ticket.js'

/** An invite as the API shows it; never its secret. */
export interface InviteInfo {
  id: string
  /** ISO times */
  created: string
  expires: string
  /** uses allowed, and taken */
  uses: number
  used: number
  revoked: boolean
  status: 'active' | 'expired' | 'used' | 'revoked'
}

export interface CreatedInvite {
  ticket: string
  id: string
  expires: string
  uses: number
}

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

export const DEFAULT_INVITE_SECONDS = 7 * 24 * 3600
export const MAX_INVITE_SECONDS = 365 * 24 * 3600
export const MAX_INVITE_USES = 10_000

/** Versioned meta key of one invite (`invite1/<board>/<id>`). */
export function inviteKey (board: string, id: string): string {
  return `invite1/${board}/${id}`
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
 * Board invites at the inviter: made, listed, revoked, and redeemed by a joiner over
 * `/mutual/invite/1.0.0`. Redemptions run one at a time, so two joiners cannot both take an
 * invite's last use; the use is taken durably before the grant is written, and given back if
 * the grant fails (a crash in between loses a use rather than granting twice).
 */
export class Invites {
  private readonly init: InvitesInit
  private readonly now: () => number
  private tail: Promise<unknown> = Promise.resolve()

  constructor (init: InvitesInit) {
    this.init = init
    this.now = init.now ?? Date.now
  }

  async create (board: string, options: { expiresInSeconds?: number, uses?: number } = {}): Promise<CreatedInvite> {
    const replica = await this.init.boards.open(board)
    if (replica.creator !== this.init.identity.id) {
      throw new UnauthorizedError(`only the board's creator (${replica.creator}) can invite writers; this node is not its creator`)
    }
    return await this.make(board, options, {})
  }

  private async make (space: string, options: { expiresInSeconds?: number, uses?: number }, extra: { roles?: Role[] }, kind?: 'org'): Promise<CreatedInvite> {
    const seconds = options.expiresInSeconds ?? DEFAULT_INVITE_SECONDS
    const uses = options.uses ?? 1
    if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_INVITE_SECONDS) throw new InvalidRequestError(`expiresInSeconds must be 1 to ${MAX_INVITE_SECONDS}`)
    if (!Number.isSafeInteger(uses) || uses < 1 || uses > MAX_INVITE_USES) throw new InvalidRequestError(`uses must be 1 to ${MAX_INVITE_USES}`)
    // The joiner tries them in order: the ones reachable from farthest away first.
    const reach = { public: 0, name: 0, relay: 1, private: 2, loopback: 3 }
    const addrs = this.init.addresses().sort((a, b) => reach[addressScope(a)] - reach[addressScope(b)]).slice(0, 32)
    if (addrs.length === 0) throw new InviteError('this node listens on no address, so no one could redeem an invite: check "listen" in config.json')
    const id = randomBytes(9).toString('base64url')
    const secret = randomBytes(INVITE_SECRET_BYTES)
    const created = this.now()
    const expires = created + seconds * 1000
    await this.put(space, id, { v: 1, hash: sha256(secret), created, expires, uses, used: 0, revoked: false, ...extra })
    const ticket = encodeTicket({ v: 1, ...(kind === undefined ? {} : { kind }), space, addrs, inviter: this.init.identity.id, id, secret: new Uint8Array(secret), expires })
    return { ticket, id, expires: new Date(expires).toISOString(), uses }
  }

  /**
   * An invite to an organization: its ticket redeems a credential with `roles` (default member),
   * issued by this node, which must be an admin of the org.
   */
  async createOrg (org: string, options: { expiresInSeconds?: number, uses?: number, roles?: Role[] } = {}): Promise<CreatedInvite> {
    await this.asOrgAdmin(org)
    const roles = options.roles ?? ['member']
    if (roles.length === 0 || roles.some((r) => !(CREDENTIAL_ROLES as string[]).includes(r))) {
      throw new InvalidRequestError(`roles must be some of ${CREDENTIAL_ROLES.join(', ')}`)
    }
    return await this.make(org, options, { roles: [...new Set(roles)] }, 'org')
  }

  private async asOrgAdmin (org: string): Promise<void> {
    if (this.init.log.genesis(org)?.entry.body.kind !== 'org') throw new UnknownInviteError(`no organization ${org.slice(0, 128)} here`)
    const admin = (await loadOrgState(this.init.log, org)).admins.get(this.init.identity.id)
    if (admin === undefined || admin.removed !== undefined) throw new NotAdminError(`this node (${this.init.identity.id}) is not an admin of ${org}, so it cannot invite members`)
  }

  async list (board: string): Promise<InviteInfo[]> {
    await this.init.boards.open(board)
    const prefix = inviteKey(board, '')
    const out: InviteInfo[] = []
    for await (const [key, bytes] of this.init.log.metaPrefix(prefix)) {
      const record = readRecord(bytes)
      if (record !== undefined) out.push(this.info(key.slice(prefix.length), record))
    }
    return out.sort((a, b) => a.created < b.created ? -1 : a.created > b.created ? 1 : a.id < b.id ? -1 : 1)
  }

  async revoke (board: string, id: string): Promise<InviteInfo> {
    await this.init.boards.open(board)
    return await this.exclusive(async () => {
      const record = await this.get(board, id)
      if (record === undefined) throw new UnknownInviteError(`no invite ${id} for board ${board}`)
      record.revoked = true
      await this.put(board, id, record)
      return this.info(id, record)
    })
  }

  /** Checks an invite and grants `member` the board; resolves to the grant entry's id. */
  async redeem (request: InviteRequest): Promise<string> {
    const { space, id, secret, member } = request
    const replica = this.init.log.genesis(space)?.entry.body.kind === 'org' ? undefined : await this.init.boards.open(space)
    return await this.exclusive(async () => {
      const record = await this.get(space, id)
      if (record === undefined || !secretMatches(record.hash, secret)) throw new UnknownInviteError(`no invite ${id} for board ${space}, or its secret does not match`)
      if (record.revoked) throw new InviteRevokedError(`invite ${id} was revoked`)
      if (record.expires <= this.now()) throw new InviteExpiredError(`invite ${id} expired at ${new Date(record.expires).toISOString()}`)
      if (record.used >= record.uses) throw new InviteUsedError(`invite ${id} has been used (${record.used} of ${record.uses} uses)`)
      if (replica === undefined) {
        if (record.roles === undefined) throw new UnknownInviteError(`no invite ${id} for organization ${space}`)
        await this.asOrgAdmin(space)
        await this.put(space, id, { ...record, used: record.used + 1 })
        try {
          const credential = await issueCredential(this.init.log, this.init.identity, space, { member, roles: record.roles as Array<Exclude<Role, 'admin'>>, kind: 'person' })
          return cidString(credential.id)
        } catch (err) {
          await this.put(space, id, record)
          throw err
        }
      }
      if (record.roles !== undefined) throw new UnknownInviteError(`no invite ${id} for board ${space}`)
      if (replica.creator !== this.init.identity.id) {
        throw new InviteError(`the inviter is not the board's creator (${replica.creator}), and only the creator can grant writers`)
      }
      await this.put(space, id, { ...record, used: record.used + 1 })
      try {
        const grant = await replica.grant(member)
        return cidString(grant.id)
      } catch (err) {
        await this.put(space, id, record)
        throw err
      }
    })
  }

  private info (id: string, r: InviteRecord): InviteInfo {
    const status = r.revoked ? 'revoked' : r.expires <= this.now() ? 'expired' : r.used >= r.uses ? 'used' : 'active'
    return {
      id,
      created: new Date(r.created).toISOString(),
      expires: new Date(r.expires).toISOString(),
      uses: r.uses,
      used: r.used,
      revoked: r.revoked,
      status
    }
  }

  private async get (board: string, id: string): Promise<InviteRecord | undefined> {
    const bytes = await this.init.log.getMeta(inviteKey(board, id))
    return bytes === undefined ? undefined : readRecord(bytes)
  }

  private async put (board: string, id: string, record: InviteRecord): Promise<void> {
    await this.init.log.putMeta(inviteKey(board, id), encode(record))
  }

  private async exclusive<T> (fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn)
    this.tail = run.catch(() => {})
    return await run
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
