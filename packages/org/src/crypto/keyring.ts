import type { Identity, SignedEntry } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import { NoSpaceKeyError, OrgError } from '../errors.js'
import { canonical, isEntry } from '../entries.js'
import { decryptBody, encryptBody, type InnerRecord } from './body.js'
import { ENCRYPTED, SPACE_KEY, type EncryptedBody, type SpaceKeyBody } from './records.js'
import { generateSpaceKey, openKey, sealKey } from './seal.js'

/** A new space key for `epoch`, sealed to each reader, and the `space/key` body that carries it. */
export function newEpoch (space: string, epoch: number, readers: Iterable<string>): { key: Uint8Array, body: SpaceKeyBody } {
  const key = generateSpaceKey()
  const sealed = [...new Set(readers)].sort().map((reader) => ({ reader, box: sealKey(key, reader, { space, epoch }) }))
  return { key, body: { epoch, sealed } }
}

/**
 * Rotates a space's key when readers are removed: a new key, one epoch up, sealed to the readers
 * who remain. Entries written under the new epoch are closed to the removed readers; what they
 * could read before stays readable to them (it was theirs to read).
 */
export function rotate (space: string, current: { epoch: number }, readers: Iterable<string>, removed: Iterable<string> = []): { key: Uint8Array, body: SpaceKeyBody } {
  const out = new Set(removed)
  return newEpoch(space, current.epoch + 1, [...readers].filter((r) => !out.has(r)))
}

/** The space keys sealed to one identity, by epoch, opened from a space's `space/key` entries. */
export class SpaceKeyring {
  private readonly keys = new Map<number, Uint8Array>()

  constructor (readonly space: string, private readonly identity: Identity) {}

  /** Opens the key an entry seals to this identity, if any; returns whether it did. */
  add (entry: SignedEntry): boolean {
    if (!isEntry<SpaceKeyBody>(entry, SPACE_KEY, this.space)) return false
    const mine = entry.entry.body.sealed.find((s) => s.reader === this.identity.id)
    if (mine === undefined) return false
    this.keys.set(entry.entry.body.epoch, openKey(mine.box, this.identity, { space: this.space, epoch: entry.entry.body.epoch }))
    return true
  }

  /** Keeps a key this identity made itself (it need not seal one to itself). */
  set (epoch: number, key: Uint8Array): void {
    this.keys.set(epoch, key)
  }

  key (epoch: number): Uint8Array {
    const key = this.keys.get(epoch)
    if (key === undefined) throw new NoSpaceKeyError(`no key of epoch ${epoch} in ${this.space} for ${this.identity.id}`)
    return key
  }

  /** The newest epoch this identity holds a key for. */
  get latest (): number {
    if (this.keys.size === 0) throw new NoSpaceKeyError(`no key in ${this.space} for ${this.identity.id}`)
    return Math.max(...this.keys.keys())
  }

  has (epoch: number): boolean {
    return this.keys.has(epoch)
  }

  /** Decrypts an `enc/v1` entry of the space. */
  decrypt<B = unknown> (entry: SignedEntry): InnerRecord<B> {
    const body = entry.entry.body as EncryptedBody
    return decryptBody<B>(this.key(body.epoch), body, { space: entry.space, author: entry.entry.author, seq: entry.entry.seq })
  }

  /** A keyring with every key `identity` can open in the space's entries. */
  static from (space: string, identity: Identity, entries: Iterable<SignedEntry>): SpaceKeyring {
    const ring = new SpaceKeyring(space, identity)
    for (const e of canonical(entries)) ring.add(e)
    return ring
  }
}

/**
 * Appends a record encrypted under the keyring's newest key. The ciphertext is bound to the
 * seq it will have, so appends of one identity to one space must not run concurrently (the
 * append fails rather than store a body no one could open).
 */
export async function appendEncrypted<B> (log: Log, identity: Identity, ring: SpaceKeyring, inner: InnerRecord<B>, refs?: SignedEntry['id'][]): Promise<SignedEntry<EncryptedBody>> {
  const seq = (log.head(ring.space, identity.id)?.seq ?? 0) + 1
  const epoch = ring.latest
  const body = encryptBody(ring.key(epoch), epoch, inner, { space: ring.space, author: identity.id, seq })
  const signed = await log.append(identity, ring.space, ENCRYPTED, body, refs)
  if (signed.entry.seq !== seq) throw new OrgError(`another append took seq ${seq}; the body was bound to it`)
  return signed
}
