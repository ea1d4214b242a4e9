import { beforeAll, describe, expect, it } from 'vitest'
import {
  BadSignatureError, BodySchemaError, BodyTooLargeError, ClockSkewError, DEFAULT_MAX_SKEW_MS, EntryDecodeError,
  EntryShapeError, EntryTooLargeError, GENESIS_TYPE, InvalidIdentityError, MAX_ENTRY_BYTES, NOTE_TYPE, ProtocolError,
  RecordRegistry, UnknownTypeError, Verifier, baseRecordTypes, encode, generateIdentity, signEntry, validateEntry,
  type GenesisBody, type Identity, type SignedEntry, type UnsignedEntry
} from '@mutual/protocol'

const NOW = 1_750_000_000_000

function check (bytes: Uint8Array): SignedEntry {
  return validateEntry(bytes, { registry: new RecordRegistry(baseRecordTypes()), verifier: new Verifier(), now: NOW })
}

/** The error `check` throws; fails the test if it accepts the bytes. */
function rejectionOf (bytes: Uint8Array): ProtocolError {
  try {
    check(bytes)
  } catch (err) {
    return err as ProtocolError
  }
  throw new Error('expected the entry to be rejected')
}

describe('validation of bad entries', () => {
  let alice: Identity
  let mallory: Identity
  let genesis: SignedEntry<GenesisBody>

  /** A note by alice, seq 1 in the test space; `overrides` may break any field. */
  function note (overrides: Partial<UnsignedEntry<unknown>> = {}, identity = alice): SignedEntry {
    return signEntry(identity, {
      v: 1, space: genesis.id, author: identity.id, seq: 1, prev: null, ts: [NOW, 0], type: NOTE_TYPE, body: { text: 'hello' }, ...overrides
    })
  }

  beforeAll(async () => {
    alice = await generateIdentity()
    mallory = await generateIdentity()
    genesis = signEntry(alice, {
      v: 1,
      space: null,
      author: alice.id,
      seq: 1,
      prev: null,
      ts: [NOW - 1000, 0],
      type: GENESIS_TYPE,
      body: { kind: 'raw', name: 'bad input', policy: { write: 'listed', writers: [] }, encrypted: false, nonce: new Uint8Array(8) }
    })
  })

  it('accepts the well-formed entries the other cases break', () => {
    expect(check(genesis.bytes).id.equals(genesis.id)).toBe(true)
    expect(check(note().bytes).entry.body).toEqual({ text: 'hello' })
  })

  it('refuses an entry over the size bound before decoding it', () => {
    const big = note({ body: { text: 'x'.repeat(MAX_ENTRY_BYTES) } })
    const err = rejectionOf(big.bytes)
    expect(err).toBeInstanceOf(EntryTooLargeError)
    expect(err.name).toBe('EntryTooLargeError')
    // Even bytes that are not an entry at all: the size is all that is looked at.
    expect(rejectionOf(new Uint8Array(MAX_ENTRY_BYTES + 1)).name).toBe('EntryTooLargeError')
  })

  it('refuses an entry over its type\'s own size bound before parsing its body', () => {
    // 20,000 characters also break the note schema (4,096 at most); the cheaper size check reports it.
    const err = rejectionOf(note({ body: { text: 'x'.repeat(20_000) } }).bytes)
    expect(err).toBeInstanceOf(BodyTooLargeError)
    expect(err.name).toBe('BodyTooLargeError')
  })

  it('refuses a signature that does not verify', () => {
    const good = note()
    const tampered = encode({ ...good.entry, body: { text: 'hellO' } })
    const err = rejectionOf(tampered)
    expect(err).toBeInstanceOf(BadSignatureError)
    expect(err.name).toBe('BadSignatureError')
    // A valid signature by someone else, under alice's name.
    const byMallory = note({}, mallory)
    expect(rejectionOf(encode({ ...byMallory.entry, author: alice.id })).name).toBe('BadSignatureError')
  })

  it('refuses a stamp too far ahead of the local clock, as a transient error', () => {
    const err = rejectionOf(note({ ts: [NOW + DEFAULT_MAX_SKEW_MS + 1, 0] }).bytes)
    expect(err).toBeInstanceOf(ClockSkewError)
    expect(err.name).toBe('ClockSkewError')
    expect(err.transient).toBe(true)
    expect(check(note({ ts: [NOW + DEFAULT_MAX_SKEW_MS, 0] }).bytes).entry.ts).toEqual([NOW + DEFAULT_MAX_SKEW_MS, 0])
  })

  it('refuses a record type no one registered', () => {
    const err = rejectionOf(note({ type: 'space/unheard-of' }).bytes)
    expect(err).toBeInstanceOf(UnknownTypeError)
    expect(err.name).toBe('UnknownTypeError')
    expect(err.transient).toBe(false)
  })

  it('refuses a body that fails its type\'s schema', () => {
    for (const body of [{ text: 5 }, { text: 'hi', extra: true }, {}, 'hi', null, [{ text: 'hi' }]]) {
      const err = rejectionOf(note({ body }).bytes)
      expect(err).toBeInstanceOf(BodySchemaError)
      expect(err.name).toBe('BodySchemaError')
    }
    const badGenesis = signEntry(alice, {
      ...genesis.entry, body: { ...genesis.entry.body, policy: { write: 'listed', writers: ['not-an-identity'] } }
    })
    expect(rejectionOf(badGenesis.bytes).name).toBe('BodySchemaError')
  })

  it('refuses entries whose envelope is malformed', () => {
    const fields = note().entry as unknown as Record<string, unknown>
    const shapes: Array<Record<string, unknown>> = [
      { ...fields, v: 2 },
      { ...fields, seq: 0 },
      { ...fields, seq: 2 },
      { ...fields, ts: [NOW] },
      { ...fields, sig: new Uint8Array(63) },
      { ...fields, extra: 1 },
      { ...fields, space: null },
      { ...fields, refs: [1] }
    ]
    for (const shape of shapes) {
      const err = rejectionOf(encode(shape))
      expect(err).toBeInstanceOf(EntryShapeError)
      expect(err.name).toBe('EntryShapeError')
    }
    expect(rejectionOf(encode({ ...fields, author: 'alice' })).name).toBe('InvalidIdentityError')
    expect(rejectionOf(encode({ ...fields, author: 42 }))).toBeInstanceOf(InvalidIdentityError)
    expect(rejectionOf(new Uint8Array([0xa1, 0x61])).name).toBe('EntryDecodeError')
    expect(rejectionOf(new Uint8Array(0))).toBeInstanceOf(EntryDecodeError)
  })

  it('reports each kind of fault under its own name', () => {
    const names = [
      rejectionOf(new Uint8Array(MAX_ENTRY_BYTES + 1)),
      rejectionOf(encode({ ...note().entry, body: { text: 'changed' } })),
      rejectionOf(note({ ts: [NOW + 2 * DEFAULT_MAX_SKEW_MS, 0] }).bytes),
      rejectionOf(note({ type: 'space/unheard-of' }).bytes),
      rejectionOf(note({ body: { text: 5 } }).bytes),
      rejectionOf(note({ body: { text: 'x'.repeat(20_000) } }).bytes)
    ].map((err) => {
      expect(err).toBeInstanceOf(ProtocolError)
      return err.name
    })
    expect(new Set(names).size).toBe(names.length)
  })
})
