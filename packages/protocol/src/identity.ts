import { createPrivateKey, createPublicKey, sign as nativeSign, verify as nativeVerify, type KeyObject } from 'node:crypto'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf, publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey, peerIdFromString } from '@libp2p/peer-id'
import type { Ed25519PrivateKey, PrivateKey } from '@libp2p/interface'
import { InvalidIdentityError } from './errors.js'

/** What an identity is: person, organization or AI agent. Recorded in genesis and credentials. */
export type IdentityKind = 'person' | 'organization' | 'agent'

/**
 * A signing identity: an Ed25519 key whose id is its libp2p PeerId string (`12D3KooW…`).
 * The node's libp2p key and its Mutual identity are the same key.
 */
export interface Identity {
  readonly id: string
  readonly publicKey: Uint8Array
  readonly privateKey: PrivateKey
  sign (message: Uint8Array): Uint8Array
}

// DER prefixes that wrap a raw 32-byte Ed25519 key for node:crypto (RFC 8410).
const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00])
const PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20])

function concat (a: Uint8Array, b: Uint8Array): Buffer {
  return Buffer.concat([a, b])
}

class Ed25519Identity implements Identity {
  readonly id: string
  readonly publicKey: Uint8Array
  readonly privateKey: Ed25519PrivateKey
  private readonly key: KeyObject

  constructor (privateKey: Ed25519PrivateKey) {
    this.privateKey = privateKey
    this.publicKey = privateKey.publicKey.raw
    this.id = peerIdFromPublicKey(privateKey.publicKey).toString()
    // libp2p's raw Ed25519 private key is seed (32 bytes) followed by the public key.
    this.key = createPrivateKey({ key: concat(PKCS8_PREFIX, privateKey.raw.subarray(0, 32)), format: 'der', type: 'pkcs8' })
    // A key file whose public half is not its seed's would sign what no one can verify.
    const derived = createPublicKey(this.key).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.byteLength)
    if (!Buffer.from(derived).equals(Buffer.from(this.publicKey))) throw new InvalidIdentityError('the public key does not belong to the private key')
  }

  sign (message: Uint8Array): Uint8Array {
    return nativeSign(null, message, this.key)
  }
}

export async function generateIdentity (): Promise<Identity> {
  return new Ed25519Identity(await generateKeyPair('Ed25519'))
}

export function identityFromPrivateKey (privateKey: PrivateKey): Identity {
  if (privateKey.type !== 'Ed25519') throw new InvalidIdentityError(`identities are Ed25519 keys, not ${privateKey.type}`)
  return new Ed25519Identity(privateKey)
}

/** Serializes an identity's private key as libp2p's protobuf form, the format of the key file. */
export function exportIdentity (identity: Identity): Uint8Array {
  return privateKeyToProtobuf(identity.privateKey)
}

export function importIdentity (bytes: Uint8Array): Identity {
  let key: PrivateKey
  try {
    key = privateKeyFromProtobuf(bytes)
  } catch (err) {
    throw new InvalidIdentityError(`not a private key: ${(err as Error).message}`)
  }
  return identityFromPrivateKey(key)
}

/**
 * Verifies signatures by identity id. Public keys are parsed from the id and imported into the
 * platform's crypto once per author, then cached: importing costs about as much as verifying.
 */
export class Verifier {
  private readonly keys = new Map<string, KeyObject>()
  private readonly maxKeys: number

  constructor (maxKeys = 100_000) {
    this.maxKeys = maxKeys
  }

  verify (author: string, message: Uint8Array, signature: Uint8Array): boolean {
    return nativeVerify(null, message, this.key(author), signature)
  }

  /**
   * The same check on libuv's thread pool: several run at once, beside the main thread, so a
   * batch of entries is verified on every core. The key is looked up (and a bad author id
   * thrown) here, synchronously; a failure of the check itself rejects.
   */
  verifyAsync (author: string, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
    const key = this.key(author)
    return new Promise((resolve, reject) => {
      nativeVerify(null, message, key, signature, (err, valid) => {
        if (err !== null) reject(err)
        else resolve(valid)
      })
    })
  }

  /** The cached key object of an author; throws InvalidIdentityError if the id is not an Ed25519 PeerId. */
  key (author: string): KeyObject {
    let key = this.keys.get(author)
    if (key === undefined) {
      const raw = publicKeyOf(author)
      // One key, one author id: other encodings of the same key (a CID form) would give it a second log.
      if (identityIdFromPublicKey(raw) !== author) throw new InvalidIdentityError('author is not written as the canonical id of its key')
      key = createPublicKey({ key: concat(SPKI_PREFIX, raw), format: 'der', type: 'spki' })
      if (this.keys.size >= this.maxKeys) this.keys.delete(this.keys.keys().next().value as string)
      this.keys.set(author, key)
    }
    return key
  }
}

/** The raw Ed25519 public key inside an identity id. */
export function publicKeyOf (id: string): Uint8Array {
  let raw: Uint8Array | undefined
  try {
    const peerId = peerIdFromString(id)
    raw = peerId.type === 'Ed25519' ? peerId.publicKey.raw : undefined
  } catch (err) {
    throw new InvalidIdentityError(`not an identity id: ${(err as Error).message}`)
  }
  if (raw === undefined) throw new InvalidIdentityError('identity ids are Ed25519 PeerIds')
  return raw
}

export function isIdentityId (id: string): boolean {
  try {
    publicKeyOf(id)
    return true
  } catch {
    return false
  }
}

export function identityIdFromPublicKey (raw: Uint8Array): string {
  return peerIdFromPublicKey(publicKeyFromRaw(raw)).toString()
}
