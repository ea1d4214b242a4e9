import type { CID, Identity, SignedEntry } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import { BOARD_GRANT, BOARD_REMOVE, type EntryCodec } from '@mutual/board'
import {
  DecryptError, ENCRYPTED, SPACE_KEY, SpaceKeyring, appendEncrypted, grantedReaders, reconcileSpaceKey,
  type EncryptedBody, type OrgRegistry
} from '@mutual/org'

export interface SpaceKeysInit {
  log: Log
  identity: Identity
  orgs: OrgRegistry
  onError: (space: string, err: Error) => void
}

/**
 * The keys of encrypted spaces (DESIGN.md §4), for this node's identity: the keys sealed to it,
 * opened as their `space/key` entries arrive, and — for spaces this identity created — the
 * sealing itself, kept in line with who may read: a first key at creation, the newest key
 * sealed to each new reader, a new epoch when a reader is revoked or removed.
 */
export interface SpaceKeys {
  start (): Promise<void>
  stop (): Promise<void>
  /** how a board replica reads and writes an encrypted space; undefined for a space in clear */
  codec (space: string): EntryCodec | undefined
  /** seals keys to the space's readers now, as its creator (no-op elsewhere) */
  reconcile (space: string): Promise<void>
}

/** Records that stay in clear in an encrypted space: every relay needs them to check writers. */
const CLEAR_TYPES = new Set([BOARD_GRANT, BOARD_REMOVE])

/** Organization entries change who may read; their reconciliation waits this long for the rest of a burst. */
const SETTLE_MS = 50

class DaemonSpaceKeys implements SpaceKeys {
  private readonly rings = new Map<string, SpaceKeyring>()
  /** one write at a time per space: an encrypted body is bound to the seq it will have */
  private readonly chains = new Map<string, Promise<unknown>>()
  private unsubscribe: (() => void) | undefined
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor (private readonly init: SpaceKeysInit) {}

  async start (): Promise<void> {
    const { log } = this.init
    this.unsubscribe = log.subscribe((event) => {
      if (event.type !== 'entry') {
        this.soon()
        return
      }
      const e = event.entry
      const genesis = log.genesis(e.space)
      if (genesis?.entry.body.encrypted === true && e.entry.type === SPACE_KEY) this.ring(e.space).add(e)
      const kind = genesis?.entry.body.kind
      // Credentials, revocations and admin changes move readers in and out; so do a space's policy and a board's grants.
      if (kind === 'org' || kind === 'federation' || e.entry.type === 'space/policy' || CLEAR_TYPES.has(e.entry.type)) this.soon()
    })
    await log.flush()
    for (const space of log.spaces()) {
      if (log.genesis(space)?.entry.body.encrypted !== true) continue
      const ring = this.ring(space)
      for await (const e of log.spaceEntries(space)) if (e.entry.type === SPACE_KEY) ring.add(e)
    }
    await this.reconcileAll()
  }

  async stop (): Promise<void> {
    this.unsubscribe?.()
    this.unsubscribe = undefined
    clearTimeout(this.timer)
    await Promise.allSettled(this.chains.values())
  }

  codec (space: string): EntryCodec | undefined {
    if (this.init.log.genesis(space)?.entry.body.encrypted !== true) return undefined
    const { log, identity } = this.init
    return {
      open: (entry) => {
        if (entry.entry.type !== ENCRYPTED) return entry
        const ring = this.ring(space)
        if (!ring.has((entry.entry.body as EncryptedBody).epoch)) return undefined
        const inner = ring.decrypt(entry)
        if (inner.type === ENCRYPTED) throw new DecryptError('an encrypted record inside an encrypted record')
        // The record inside is checked as the log checks any record (relays could not see it).
        const body = log.registry.check(inner.type, inner.body, entry.bytes.byteLength)
        return { ...entry, entry: { ...entry.entry, type: inner.type, body } } as SignedEntry
      },
      append: async (type: string, body: unknown, refs?: CID[]) => await this.serial(space, async () => {
        // Relays check writers against grants, so a grant names its writer in clear.
        if (CLEAR_TYPES.has(type)) return await log.append(identity, space, type, body, refs)
        log.registry.check(type, body, 0)
        return await appendEncrypted(log, identity, this.ring(space), { type, body }, refs)
      })
    }
  }

  async reconcile (space: string): Promise<void> {
    const { log, identity, orgs } = this.init
    const genesis = log.genesis(space)
    if (genesis === undefined || genesis.entry.body.encrypted !== true || genesis.entry.author !== identity.id) return
    const policy = orgs.policy(space)
    const readers = policy === undefined ? await boardReaders(log, space) : grantedReaders(orgs, policy, identity.id)
    await this.serial(space, async () => await reconcileSpaceKey(log, identity, space, readers))
  }

  private ring (space: string): SpaceKeyring {
    let ring = this.rings.get(space)
    if (ring === undefined) this.rings.set(space, ring = new SpaceKeyring(space, this.init.identity))
    return ring
  }

  private async serial<T> (space: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.chains.get(space) ?? Promise.resolve()).then(fn)
    this.chains.set(space, run.catch(() => undefined))
    return await run
  }

  private soon (): void {
    if (this.unsubscribe === undefined) return
    clearTimeout(this.timer)
    // reconcileAll reports each space's failure through onError; it does not reject.
    this.timer = setTimeout(() => { void this.reconcileAll() }, SETTLE_MS)
    this.timer.unref?.()
  }

  private async reconcileAll (): Promise<void> {
    const { log, identity } = this.init
    for (const space of log.spaces()) {
      const genesis = log.genesis(space)
      if (genesis?.entry.body.encrypted !== true || genesis.entry.author !== identity.id) continue
      try {
        await this.reconcile(space)
      } catch (err) {
        this.init.onError(space, err as Error)
      }
    }
  }
}

/**
 * The readers of an encrypted space without organization grants: its genesis's writers and those
 * its creator granted, less those it removed since (a removal after the last grant counts).
 */
async function boardReaders (log: Log, space: string): Promise<string[]> {
  const genesis = log.genesis(space)
  const readers = new Set(genesis?.entry.body.policy.writers ?? [])
  await log.flush()
  // The creator's own entries, in seq order: a grant and a removal of one writer, the later wins.
  for await (const e of log.entries(space, genesis?.entry.author ?? '', 1)) {
    const writer = (e.entry.body as { writer?: unknown }).writer
    if (typeof writer !== 'string') continue
    if (e.entry.type === BOARD_GRANT) readers.add(writer)
    else if (e.entry.type === BOARD_REMOVE) readers.delete(writer)
  }
  return [...readers]
}

export function createSpaceKeys (init: SpaceKeysInit): SpaceKeys {
  return new DaemonSpaceKeys(init)
}
