import {
  GENESIS_TYPE, PROFILE_TYPE, ProtocolError, ROLES, isIdentityId, parseCid, profileBodySchema,
  type CID, type Identity, type ProfileBody, type SignedEntry
} from '@mutual/protocol'
import type { Log } from '@mutual/log'
import { BoardError } from '@mutual/board'
import { OrgError, grantRefs, loadOrgState, roleRefs, type OrgRegistry } from '@mutual/org'
import type { NameKind, NameEntry, Profile, Resolved } from '../contract/index.js'
import { InvalidRequestError, UnknownNameError, UnknownProfileError } from '../errors.js'
import type { Boards } from './board-replicas.js'
import { NamesView, sameProfile } from './names-view.js'
import { parse } from './parse.js'
import { pick, type Candidate } from './resolve.js'

/** How long after making a space this node publishes its profile there (after the space's policy). */
const OWN_SPACE_DELAY_MS = 1_000

const PROFILE_TYPE_BYTES = Buffer.from(PROFILE_TYPE)

/** A profile's encoding holds its type as a text string; bytes without it cannot be one. */
function mayBeProfile (bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(PROFILE_TYPE_BYTES)
}

/** Meta keys, versioned (STYLE.md §8): this node's own profile, and its local aliases (never replicated). */
const OWN_KEY = 'names/1/own'
const ALIAS_PREFIX = 'names/1/alias/'

export interface NameServiceInit {
  log: Log
  identity: Identity
  orgs: OrgRegistry
  replicas: Boards
  /** a failure publishing the profile that is not a lack of write access */
  onError?: (space: string, err: Error) => void
}

/**
 * Names (DESIGN.md §6): the latest signed profile of every identity across the spaces held
 * (a NamesView over the log), this node's local aliases, and resolution of names and id
 * prefixes to ids. This node's own profile is published in every space it may write, and
 * again in each space where it gains write access or that it comes to hold.
 */
export class NameService {
  private readonly init: NameServiceInit
  private readonly view = new NamesView()
  private readonly aliases = new Map<string, string>()
  private own: ProfileBody | undefined
  private unsubscribe: (() => void) | undefined
  /** spaces to publish the own profile in, and those that refused it (retried when access may have changed) */
  private readonly queued = new Set<string>()
  private readonly refused = new Set<string>()
  private draining: Promise<void> | undefined
  private stopped = false

  constructor (init: NameServiceInit) {
    this.init = init
  }

  async start (): Promise<void> {
    const { log } = this.init
    for await (const [key, value] of log.metaPrefix(ALIAS_PREFIX)) this.aliases.set(key.slice(ALIAS_PREFIX.length), new TextDecoder().decode(value))
    const own = await log.getMeta(OWN_KEY)
    if (own !== undefined) this.own = profileBodySchema.parse(JSON.parse(new TextDecoder().decode(own)))
    // Subscribe before the scan: an entry that lands meanwhile is folded twice, which the view allows.
    this.unsubscribe = log.subscribe((event) => { if (event.type === 'entry') this.seen(event.entry) })
    for (const space of log.spaces()) {
      for (const author of Object.keys(log.vector(space)).sort()) {
        // Only profiles count, so only entries whose bytes hold the type's name are decoded:
        // decoding every entry held took most of a start with 100,000 of them.
        let seq = 0
        for await (const bytes of log.range(space, author)) {
          seq++
          if (!mayBeProfile(bytes)) continue
          const entry = await log.get(space, author, seq)
          if (entry !== undefined) this.view.add(entry)
        }
      }
    }
    this.considerAll()
  }

  async stop (): Promise<void> {
    this.stopped = true
    this.unsubscribe?.()
    await this.draining
  }

  /** Signs this node's profile and publishes it in every space it may write; says where. */
  async setProfile (request: { name: string, description?: string, kind?: string }): Promise<{ profile: Profile, published: string[] }> {
    const body = parse(profileBodySchema, { v: 1, identity: this.init.identity.id, name: request.name, description: request.description ?? this.own?.description ?? '', kind: request.kind ?? this.own?.kind ?? 'person' }, 'profile')
    this.own = body
    await this.init.log.putMeta(OWN_KEY, new TextEncoder().encode(JSON.stringify(body)))
    this.refused.clear()
    this.considerAll()
    while (this.draining !== undefined) await this.draining
    const me = this.init.identity.id
    const published = this.init.log.spaces().filter((space) => this.view.holds(space, me, body)).sort()
    return { profile: this.profile(me), published }
  }

  /** The latest profile of an identity this node has seen (its own even when published nowhere yet). */
  profile (identity: string): Profile {
    const seen = this.view.profile(identity)
    const mine = identity === this.init.identity.id ? this.own : undefined
    if (seen !== undefined && (mine === undefined || sameProfile(seen.body, mine))) {
      return { ...bodyJson(seen.body), entry: seen.id, space: seen.space, at: new Date(seen.ts[0]).toISOString() }
    }
    if (mine !== undefined) return bodyJson(mine)
    throw new UnknownProfileError(`no profile of ${identity.slice(0, 128)} has reached this node`)
  }

  /** Names for people of the ids given that this node knows: an alias, else a profile's name, else a space's name. */
  names (ids: readonly string[]): Record<string, NameEntry> {
    const out: Record<string, NameEntry> = {}
    for (const id of new Set(ids)) {
      const found = this.nameOf(id)
      if (found !== undefined) out[id] = found
    }
    return out
  }

  /** The id a name, alias or id prefix means among things of `kind` (tasks: on `board`). */
  async resolve (kind: NameKind, query: string, board?: string): Promise<Resolved> {
    const q = query.trim()
    if (kind === 'task') {
      if (board === undefined) throw new InvalidRequestError('resolving a task needs its board')
      const id = await this.resolve('board', board)
      const replica = await this.init.replicas.open(id.id)
      const tasks = replica.board.tasks().map((t) => ({ id: t.id, name: t.title }))
      let task: string
      try {
        task = pick('task', q, tasks)
      } catch (err) {
        // A task that fits nothing is taken as an id: the board's routes say UnknownTaskError, as for any task id not on it.
        if (!(err instanceof UnknownNameError)) throw err
        task = q
      }
      return { kind, id: task, name: tasks.find((t) => t.id === task)?.name ?? '' }
    }
    // A whole id is taken as it is, held here or not (`space join` names spaces not held yet).
    const whole = kind === 'identity' ? isIdentityId(q) : parseCid(q) !== undefined
    const id = whole ? q : pick(kind === 'identity' ? 'identity' : kind, q, this.candidates(kind))
    return { kind, id, name: this.nameOf(id)?.name ?? '' }
  }

  /** Every identity this node knows, with the names it knows each by (aliases, profile name): for @mentions. */
  people (): Array<{ id: string, names: string[] }> {
    return this.candidates('identity').map((c) => ({ id: c.id, names: [...(c.aliases ?? []), ...(c.names ?? [])] }))
  }

  aliasList (): Array<{ alias: string, id: string, name: string }> {
    return [...this.aliases].sort(([a], [b]) => a < b ? -1 : 1).map(([alias, id]) => ({ alias, id, name: this.view.profile(id)?.body.name ?? '' }))
  }

  async setAlias (alias: string, identity: string): Promise<{ alias: string, id: string }> {
    if (!isIdentityId(identity)) throw new InvalidRequestError(`"${identity.slice(0, 128)}" is not an identity id`)
    await this.init.log.putMeta(ALIAS_PREFIX + alias, new TextEncoder().encode(identity))
    this.aliases.set(alias, identity)
    return { alias, id: identity }
  }

  async removeAlias (alias: string): Promise<{ alias: string, id: string }> {
    const id = this.aliases.get(alias)
    if (id === undefined) throw new UnknownNameError(`no alias "${alias.slice(0, 64)}" here`)
    await this.init.log.putMeta(ALIAS_PREFIX + alias, null)
    this.aliases.delete(alias)
    return { alias, id }
  }

  private nameOf (id: string): NameEntry | undefined {
    const alias = [...this.aliases].find(([, target]) => target === id)?.[0]
    if (alias !== undefined) return { name: alias, source: 'alias' }
    const profile = this.view.profile(id)
    if (profile !== undefined) return { name: profile.body.name, source: 'profile' }
    if (id === this.init.identity.id && this.own !== undefined) return { name: this.own.name, source: 'profile' }
    const genesis = this.init.log.genesis(id)
    if (genesis !== undefined && genesis.entry.body.name !== '') return { name: genesis.entry.body.name, source: 'space' }
    const board = this.init.replicas.list().find((r) => r.space === id)?.board.name()
    if (board !== undefined && board !== '') return { name: board, source: 'space' }
    return undefined
  }

  private candidates (kind: Exclude<NameKind, 'task'>): Candidate[] {
    const { log } = this.init
    if (kind !== 'identity') {
      const spaces = log.spaces().filter((s) => kind === 'space' || log.genesis(s)?.entry.body.kind === kind)
      return spaces.map((id) => ({ id, name: this.nameOf(id)?.name ?? '' }))
    }
    const ids = new Set<string>([this.init.identity.id, ...this.view.identities(), ...this.aliases.values()])
    for (const space of log.spaces()) {
      for (const author of Object.keys(log.vector(space))) ids.add(author)
      const state = this.init.orgs.state(space)
      for (const member of state?.members.keys() ?? []) ids.add(member)
      for (const admin of state?.admins.keys() ?? []) ids.add(admin)
    }
    return [...ids].map((id) => {
      const aliases = [...this.aliases].filter(([, target]) => target === id).map(([alias]) => alias)
      const profile = this.view.profile(id)?.body.name ?? (id === this.init.identity.id ? this.own?.name : undefined)
      return { id, name: this.nameOf(id)?.name ?? '', aliases, names: profile === undefined ? [] : [profile] }
    })
  }

  /** Every entry stored: a profile is folded in; what may change where this node may write queues spaces for its profile. */
  private seen (entry: SignedEntry): void {
    this.view.add(entry)
    if (this.own === undefined || this.stopped) return
    const type = entry.entry.type
    // A credential, revocation or admin change may open (or close) write access anywhere; a new
    // space, a board grant or a policy, in that space.
    if (type.startsWith('org/')) {
      this.refused.clear()
      this.considerAll()
    } else if (type === GENESIS_TYPE && entry.entry.author === this.init.identity.id) {
      // A space this node just made: its creator writes the space policy next, which must be its
      // seq 2 (a granted market, ledger or board); the profile follows a moment later.
      const space = entry.space
      setTimeout(() => { if (!this.stopped) this.consider(space) }, OWN_SPACE_DELAY_MS).unref()
    } else if (type === GENESIS_TYPE || entry.entry.author !== this.init.identity.id || entry.entry.seq === 2) {
      // seq 2: the creator's entry after a genesis made here is in (publishIn waits for it).
      this.refused.delete(entry.space)
      this.consider(entry.space)
    }
  }

  private considerAll (): void {
    for (const space of this.init.log.spaces()) this.consider(space)
  }

  private consider (space: string): void {
    if (this.own === undefined || this.refused.has(space) || this.view.holds(space, this.init.identity.id, this.own)) return
    this.queued.add(space)
    this.draining ??= this.drain().finally(() => { this.draining = undefined })
  }

  private async drain (): Promise<void> {
    while (this.queued.size > 0 && !this.stopped) {
      const [space] = this.queued
      this.queued.delete(space)
      await this.publishIn(space)
    }
  }

  /** Publishes the own profile in a space unless it holds it already; false where this node may not write. */
  private async publishIn (space: string): Promise<boolean> {
    const own = this.own
    const { log, identity } = this.init
    const genesis = log.genesis(space)
    if (own === undefined || genesis === undefined) return false
    if (this.view.holds(space, identity.id, own)) return true
    const kind = genesis.entry.body.kind
    if (kind === 'federation' || kind === 'raw') return false
    // The entry after a genesis is its creator's own (a granted space's policy must be it, a
    // board's first update follows): a profile appended sooner would take that place.
    if (genesis.entry.author === identity.id && (log.head(space, identity.id)?.seq ?? 0) < 2) return false
    try {
      if (kind === 'board') {
        const replica = await this.init.replicas.open(space)
        await this.init.replicas.assertWritable(replica)
        await replica.write(PROFILE_TYPE, own)
      } else {
        await log.append(identity, space, PROFILE_TYPE, own, await this.refsIn(space, kind, genesis.entry.author))
      }
      return true
    } catch (err) {
      this.refused.add(space)
      if (!(err instanceof ProtocolError || err instanceof OrgError || err instanceof BoardError)) this.init.onError?.(space, err as Error)
      return false
    }
  }

  /** The refs a profile names in a space: membership in an org space, a grant in a granted one. */
  private async refsIn (space: string, kind: string, creator: string): Promise<CID[] | undefined> {
    const { log, identity, orgs } = this.init
    if (kind === 'org') {
      const state = orgs.state(space) ?? await loadOrgState(log, space)
      return await roleRefs(log, space, { grant: [], state, member: identity.id, roles: ROLES })
    }
    if (creator === identity.id || orgs.policy(space) === undefined) return undefined
    return await grantRefs(log, space, identity.id)
  }
}

function bodyJson (body: ProfileBody): Profile {
  return { identity: body.identity, name: body.name, description: body.description, kind: body.kind }
}
