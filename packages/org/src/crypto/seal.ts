import { ed25519, x25519 } from '@noble/curves/ed25519.js'
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { encode, publicKeyOf, type Identity } from '@mutual/protocol'
import { DecryptError } from '../errors.js'

export const SPACE_KEY_BYTES = 32
const INFO = new TextEncoder().encode('mutual/space-key/v1')

/** A fresh random space key. */
export function generateSpaceKey (): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(SPACE_KEY_BYTES))
}

/** What a sealed key is bound to, so a box cannot be replayed for another space, epoch or reader. */
export interface SealContext {
  space: string
  epoch: number
}

/**
 * Seals a space key to a reader (a sealed box): an ephemeral X25519 key agrees a secret with the
 * reader's identity key (Ed25519, converted to X25519), HKDF-SHA256 derives the wrapping key, and
 * XChaCha20-Poly1305 seals the space key with the space, epoch and reader as associated data.
 * Returns ephemeral public key ‖ nonce ‖ ciphertext.
 */
export function sealKey (key: Uint8Array, reader: string, context: SealContext): Uint8Array<ArrayBuffer> {
  if (key.byteLength !== SPACE_KEY_BYTES) throw new TypeError(`a space key is ${SPACE_KEY_BYTES} bytes`)
  const readerX = ed25519.utils.toMontgomery(publicKeyOf(reader))
  const ephemeral = x25519.utils.randomSecretKey()
  const ephemeralPublic = x25519.getPublicKey(ephemeral)
  const wrap = wrappingKey(x25519.getSharedSecret(ephemeral, readerX), ephemeralPublic, readerX)
  const nonce = crypto.getRandomValues(new Uint8Array(24))
  const sealed = xchacha20poly1305(wrap, nonce, aad(reader, context)).encrypt(key)
  const out = new Uint8Array(32 + 24 + sealed.byteLength)
  out.set(ephemeralPublic, 0)
  out.set(nonce, 32)
  out.set(sealed, 56)
  return out
}

/** Opens a key sealed to `identity`; throws DecryptError if it was sealed to another key or context, or altered. */
export function openKey (box: Uint8Array, identity: Identity, context: SealContext): Uint8Array {
  if (box.byteLength !== 32 + 24 + SPACE_KEY_BYTES + 16) throw new DecryptError('a sealed key has the wrong length')
  try {
    const secret = ed25519.utils.toMontgomerySecret(identity.privateKey.raw.subarray(0, 32))
    const ephemeralPublic = box.subarray(0, 32)
    const wrap = wrappingKey(x25519.getSharedSecret(secret, ephemeralPublic), ephemeralPublic, x25519.getPublicKey(secret))
    return xchacha20poly1305(wrap, box.subarray(32, 56), aad(identity.id, context)).decrypt(box.subarray(56))
  } catch (err) {
    throw new DecryptError(`the space key does not open for ${identity.id}: ${(err as Error).message}`)
  }
}

function wrappingKey (shared: Uint8Array, ephemeralPublic: Uint8Array, readerPublic: Uint8Array): Uint8Array {
  const salt = new Uint8Array(64)
  salt.set(ephemeralPublic, 0)
  salt.set(readerPublic, 32)
  return hkdf(sha256, shared, salt, INFO, 32)
}

function aad (reader: string, context: SealContext): Uint8Array {
  return encode(['mutual/space-key/v1', context.space, context.epoch, reader])
}
