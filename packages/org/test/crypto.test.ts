import { describe, expect, it } from 'vitest'
import { bytesEqual, type SignedEntry } from '@mutual/protocol'
import {
  ENCRYPTED, SPACE_KEY, SpaceKeyring, appendEncrypted, decryptBody, encryptBody, generateSpaceKey, newEpoch, openKey, rotate, sealKey,
  spaceEntriesOf, type EncryptedBody
} from '@mutual/org'
import { Clock, identities, openNode, replicate } from './helpers.js'

const SECRET = 'the merger closes on friday'

function contains (haystack: Uint8Array, needle: string): boolean {
  const n = new TextEncoder().encode(needle)
  outer: for (let i = 0; i + n.length <= haystack.length; i++) {
    for (let j = 0; j < n.length; j++) if (haystack[i + j] !== n[j]) continue outer
    return true
  }
  return false
}

describe('private spaces', () => {
  it('seals a space key to a reader only', async () => {
    const [reader, other] = await identities(2)
    const key = generateSpaceKey()
    const box = sealKey(key, reader.id, { space: 'bafy-space', epoch: 3 })
    expect(bytesEqual(openKey(box, reader, { space: 'bafy-space', epoch: 3 }), key)).toBe(true)
    expect(() => openKey(box, other, { space: 'bafy-space', epoch: 3 })).toThrow(expect.objectContaining({ name: 'DecryptError' }))
    expect(() => openKey(box, reader, { space: 'bafy-space', epoch: 4 })).toThrow(expect.objectContaining({ name: 'DecryptError' }))
  })

  it('encrypts bodies to the readers, binds them to their entry, and rotates readers out', async () => {
    const clock = new Clock()
    const node = await openNode(clock)
    const [creator, alice, bob, eve] = await identities(4)
    const genesis = await node.log.createSpace(creator, {
      kind: 'board', name: 'private', policy: { write: 'listed', writers: [alice.id, bob.id] }, encrypted: true, nonce: new Uint8Array(8)
    })
    const space = genesis.space
    const first = newEpoch(space, 0, [creator.id, alice.id, bob.id])
    await node.log.append(creator, space, SPACE_KEY, first.body)
    await expect(node.log.append(alice, space, SPACE_KEY, newEpoch(space, 9, [alice.id]).body)).rejects.toMatchObject({ name: 'RoleNotAllowedError' })

    const aliceRing = SpaceKeyring.from(space, alice, await spaceEntriesOf(node.log, space))
    const secret = await appendEncrypted(node.log, alice, aliceRing, { type: 'space/note', body: { text: SECRET } })
    expect(secret.entry.type).toBe(ENCRYPTED)

    // A relay validates and stores the outer entry without any key; it sees only ciphertext.
    const relay = await openNode(clock)
    const verdicts = await replicate(node, relay)
    expect([...verdicts.values()].every((v) => v === undefined)).toBe(true)
    const relayed = await relay.log.getById(secret.id.toString()) as SignedEntry
    expect(contains(relayed.bytes, SECRET)).toBe(false)
    expect(contains(relayed.bytes, 'space/note')).toBe(false)
    const eveRing = SpaceKeyring.from(space, eve, await spaceEntriesOf(relay.log, space))
    expect(() => eveRing.decrypt(relayed)).toThrow(expect.objectContaining({ name: 'NoSpaceKeyError' }))
    expect(() => decryptBody(generateSpaceKey(), relayed.entry.body as EncryptedBody, { space, author: alice.id, seq: 1 }))
      .toThrow(expect.objectContaining({ name: 'DecryptError' }))

    const bobRing = SpaceKeyring.from(space, bob, await spaceEntriesOf(relay.log, space))
    expect(bobRing.decrypt(relayed)).toEqual({ type: 'space/note', body: { text: SECRET } })

    // Tampered ciphertext, or ciphertext moved to another entry, does not decrypt.
    const body = relayed.entry.body as EncryptedBody
    const tampered = { ...body, ciphertext: Uint8Array.from(body.ciphertext, (b, i) => (i === 3 ? b ^ 1 : b)) }
    const at = { space, author: alice.id, seq: relayed.entry.seq }
    expect(() => decryptBody(bobRing.key(0), tampered, at)).toThrow(expect.objectContaining({ name: 'DecryptError' }))
    expect(() => decryptBody(bobRing.key(0), body, { ...at, seq: at.seq + 1 })).toThrow(expect.objectContaining({ name: 'DecryptError' }))
    expect(() => decryptBody(bobRing.key(0), body, { ...at, author: bob.id })).toThrow(expect.objectContaining({ name: 'DecryptError' }))

    // Bob is removed: a new epoch sealed to the rest. What is written after it is closed to him.
    const second = rotate(space, first.body, [creator.id, alice.id, bob.id], [bob.id])
    expect(second.body.epoch).toBe(1)
    expect(second.body.sealed.map((s) => s.reader)).not.toContain(bob.id)
    await node.log.append(creator, space, SPACE_KEY, second.body)
    aliceRing.add(await node.log.get(space, creator.id, 3) as SignedEntry)
    const after = await appendEncrypted(node.log, alice, aliceRing, { type: 'space/note', body: { text: 'after bob left' } })
    expect(after.entry.body.epoch).toBe(1)
    await replicate(node, relay)
    const bobLater = SpaceKeyring.from(space, bob, await spaceEntriesOf(relay.log, space))
    expect(bobLater.has(1)).toBe(false)
    expect(() => bobLater.decrypt(after)).toThrow(expect.objectContaining({ name: 'NoSpaceKeyError' }))
    expect(() => decryptBody(bobLater.key(0), { ...after.entry.body, epoch: 0 }, { space, author: alice.id, seq: after.entry.seq }))
      .toThrow(expect.objectContaining({ name: 'DecryptError' }))
    expect(SpaceKeyring.from(space, creator, await spaceEntriesOf(relay.log, space)).decrypt(after).body).toEqual({ text: 'after bob left' })
    // Sealing does not need the plaintext key of other epochs: the old entry stays readable to who could read it.
    expect(bobLater.decrypt(relayed).body).toEqual({ text: SECRET })
    expect(encryptBody(first.key, 0, { type: 't', body: 1 }, at).nonce.byteLength).toBe(24)
    await node.stop()
    await relay.stop()
  })
})
