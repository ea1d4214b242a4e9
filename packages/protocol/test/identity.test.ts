import { describe, expect, it } from 'vitest'
import { CID } from 'multiformats/cid'
import { identity as identityHash } from 'multiformats/hashes/identity'
import { peerIdFromString } from '@libp2p/peer-id'
import { privateKeyFromRaw, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import {
  RecordRegistry, Verifier, baseRecordTypes, exportIdentity, generateIdentity, importIdentity, signEntry, validateEntry
} from '@mutual/protocol'

describe('identities', () => {
  it('round-trips through the key file format', async () => {
    const a = await generateIdentity()
    const b = importIdentity(exportIdentity(a))
    expect(b.id).toBe(a.id)
  })

  it('refuses a key file whose public half is not derived from its seed', async () => {
    const [a, b] = [await generateIdentity(), await generateIdentity()]
    const raw = new Uint8Array(64)
    raw.set(a.privateKey.raw.subarray(0, 32), 0)
    raw.set(b.publicKey, 32)
    const file = privateKeyToProtobuf(privateKeyFromRaw(raw))
    expect(() => importIdentity(file)).toThrow(expect.objectContaining({ name: 'InvalidIdentityError' }))
  })

  it('accepts an author only under the canonical id of its key', async () => {
    const a = await generateIdentity()
    // The same key written as a CID (libp2p accepts both forms as a PeerId string).
    const cidForm = CID.createV1(0x72, identityHash.digest(peerIdFromString(a.id).toMultihash().digest)).toString()
    expect(peerIdFromString(cidForm).toString()).toBe(a.id)
    const signed = signEntry({ ...a, id: cidForm, sign: (m) => a.sign(m) }, {
      v: 1, space: null, author: cidForm, seq: 1, prev: null, ts: [Date.now(), 0], type: 'space/genesis',
      body: { kind: 'raw', name: 'x', policy: { write: 'listed', writers: [] }, encrypted: false, nonce: new Uint8Array(4) }
    })
    expect(() => validateEntry(signed.bytes, { registry: new RecordRegistry(baseRecordTypes()), verifier: new Verifier() }))
      .toThrow(expect.objectContaining({ name: 'InvalidIdentityError' }))
  })
})
