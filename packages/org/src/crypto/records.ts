import { z } from 'zod'
import { MAX_ENTRY_BYTES, schemas, type RecordType } from '@mutual/protocol'
import { SPACE_KEY } from '../grant-authorizer.js'

export { SPACE_KEY }
export const ENCRYPTED = 'enc/v1'

/** Bytes of a sealed space key: ephemeral X25519 key, nonce, sealed 32-byte key, tag. */
export const SEALED_KEY_BYTES = 32 + 24 + 32 + 16

/** A space key for `epoch`, sealed to each reader's identity key. Written by the space's creator (an admin in an org space). */
export const spaceKeySchema = z.strictObject({
  epoch: z.number().int().nonnegative().max(2 ** 32),
  sealed: z.array(z.strictObject({
    reader: schemas.identityId,
    box: z.instanceof(Uint8Array).refine((b) => b.byteLength === SEALED_KEY_BYTES, `a sealed key is ${SEALED_KEY_BYTES} bytes`)
  })).min(1).max(1024).refine((s) => new Set(s.map((x) => x.reader)).size === s.length, 'a reader named twice')
})
export type SpaceKeyBody = z.infer<typeof spaceKeySchema>

/**
 * An encrypted entry body: the inner `{ type, body }` under the space key of `epoch`. Relays
 * validate the outer signed entry only; readers decrypt and check the inner record.
 */
export const encryptedSchema = z.strictObject({
  epoch: z.number().int().nonnegative().max(2 ** 32),
  nonce: z.instanceof(Uint8Array).refine((b) => b.byteLength === 24, 'a nonce is 24 bytes'),
  ciphertext: schemas.bytes(MAX_ENTRY_BYTES)
})
export type EncryptedBody = z.infer<typeof encryptedSchema>

export function encryptionRecordTypes (): Array<RecordType<any>> {
  return [
    { type: SPACE_KEY, schema: spaceKeySchema, maxEntryBytes: 256 * 1024 },
    { type: ENCRYPTED, schema: encryptedSchema, maxEntryBytes: MAX_ENTRY_BYTES }
  ]
}
