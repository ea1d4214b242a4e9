import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { decode, encode } from '@mutual/protocol'
import { DecryptError } from '../errors.js'
import type { EncryptedBody } from './records.js'

/** The entry a body is bound to: the ciphertext opens only as the body of this author's seq in this space. */
export interface EntryPosition {
  space: string
  author: string
  seq: number
}

/** The record inside an encrypted body. */
export interface InnerRecord<B = unknown> {
  type: string
  body: B
}

/**
 * Encrypts a record `{ type, body }` (DAG-CBOR) under a space key with XChaCha20-Poly1305 and a
 * random 24-byte nonce. The associated data is the space id, author and seq (and the epoch), so
 * the ciphertext cannot be moved to another entry. The inner type is encrypted too.
 */
export function encryptBody (key: Uint8Array, epoch: number, inner: InnerRecord, at: EntryPosition): EncryptedBody {
  const nonce = crypto.getRandomValues(new Uint8Array(24))
  const ciphertext = xchacha20poly1305(key, nonce, aad(at, epoch)).encrypt(encode({ type: inner.type, body: inner.body }))
  return { epoch, nonce, ciphertext }
}

/** Decrypts an encrypted body of the entry at `at`; throws DecryptError on a wrong key, another entry's ciphertext or tampering. */
export function decryptBody<B = unknown> (key: Uint8Array, body: EncryptedBody, at: EntryPosition): InnerRecord<B> {
  let plain: Uint8Array
  try {
    plain = xchacha20poly1305(key, body.nonce, aad(at, body.epoch)).decrypt(body.ciphertext)
  } catch (err) {
    throw new DecryptError(`seq ${at.seq} by ${at.author} in ${at.space} does not decrypt: ${(err as Error).message}`)
  }
  const inner = decode<InnerRecord<B>>(plain)
  if (inner === null || typeof inner !== 'object' || typeof inner.type !== 'string' || !('body' in inner)) {
    throw new DecryptError('the decrypted body is not a { type, body } record')
  }
  return inner
}

function aad (at: EntryPosition, epoch: number): Uint8Array {
  return encode(['mutual/enc/v1', at.space, at.author, at.seq, epoch])
}
