import { beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  GENESIS_TYPE, HybridClock, NOTE_TYPE, ProtocolError, RecordRegistry, SPACE_KINDS, Verifier, baseRecordTypes, bytesEqual, cidOf,
  checkEntry, compareStamps, decode, encode, generateIdentity, signEntry, validateEntry, verifyChecked,
  type GenesisBody, type Identity, type SignedEntry, type Stamp, type UnsignedEntry
} from '@mutual/protocol'

/** Every error validateEntry may throw for bytes that are not a valid entry. */
const ENTRY_ERRORS = new Set([
  'EntryTooLargeError', 'EntryDecodeError', 'EntryShapeError', 'UnknownTypeError', 'BadSignatureError',
  'InvalidIdentityError', 'ClockSkewError', 'BodyTooLargeError', 'BodySchemaError'
])

const NOW = 1_750_000_000_000

function validator (): { registry: RecordRegistry, verifier: Verifier, now: number } {
  return { registry: new RecordRegistry(baseRecordTypes()), verifier: new Verifier(), now: NOW }
}

/** The error validateEntry throws for `bytes`, or undefined if it accepted them. */
function rejection (bytes: Uint8Array, init = validator()): Error | undefined {
  try {
    validateEntry(bytes, init)
    return undefined
  } catch (err) {
    return err as Error
  }
}

// --- arbitraries ----------------------------------------------------------------------------

const cidArb = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => cidOf(b))

const finiteDouble = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0))
/** Integers beyond 2^53 decode as bigint; within the safe range they decode as numbers. */
const bigArb = fc.oneof(
  fc.bigInt(BigInt(Number.MAX_SAFE_INTEGER) + 1n, 2n ** 64n - 1n),
  fc.bigInt(-(2n ** 64n), BigInt(Number.MIN_SAFE_INTEGER) - 1n)
)

/** Values the IPLD data model can hold, in the JavaScript form @ipld/dag-cbor decodes them to. */
const { ipld } = fc.letrec<{ ipld: unknown }>((tie) => ({
  ipld: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    finiteDouble,
    bigArb,
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.uint8Array({ maxLength: 40 }),
    cidArb,
    fc.array(tie('ipld'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 10 }), tie('ipld'), { maxKeys: 5, noNullPrototype: true })
  )
}))

const stampArb: fc.Arbitrary<Stamp> = fc.tuple(fc.integer({ min: 0, max: NOW }), fc.nat({ max: 2 ** 32 - 1 }))

const genesisBodyArb: fc.Arbitrary<GenesisBody> = fc.record({
  kind: fc.constantFrom(...SPACE_KINDS),
  name: fc.string({ unit: 'binary', maxLength: 100 }),
  policy: fc.record({ write: fc.constantFrom<'listed' | 'anyone'>('listed', 'anyone'), writers: fc.constant([] as string[]) }),
  encrypted: fc.boolean(),
  nonce: fc.uint8Array({ maxLength: 32 })
})

// --- tests ----------------------------------------------------------------------------------

describe('canonical encoding', () => {
  it('decodes what it encodes, and re-encodes decoded bytes to the same bytes', () => {
    fc.assert(fc.property(ipld, (value) => {
      const bytes = encode(value)
      expect(decode(bytes)).toEqual(value)
      expect(bytesEqual(encode(decode(bytes)), bytes)).toBe(true)
    }), { numRuns: 500 })
  })

  it('gives the same bytes and CID whatever order a map was built in', () => {
    fc.assert(fc.property(fc.dictionary(fc.string({ maxLength: 8 }), ipld, { maxKeys: 8, noNullPrototype: true }), (map) => {
      const reversed = Object.fromEntries(Object.entries(map).reverse())
      expect(bytesEqual(encode(reversed), encode(map))).toBe(true)
      expect(cidOf(encode(reversed)).equals(cidOf(encode(map)))).toBe(true)
    }), { numRuns: 200 })
  })
})

describe('signed entries', () => {
  let alice: Identity
  let bob: Identity
  let space: SignedEntry<GenesisBody>

  beforeAll(async () => {
    alice = await generateIdentity()
    bob = await generateIdentity()
    space = signEntry(alice, {
      v: 1,
      space: null,
      author: alice.id,
      seq: 1,
      prev: null,
      ts: [NOW - 10_000, 0],
      type: GENESIS_TYPE,
      body: { kind: 'raw', name: 'entries', policy: { write: 'anyone', writers: [] }, encrypted: false, nonce: new Uint8Array(16) }
    })
  })

  const noteArb = fc.record({
    author: fc.constantFrom(0, 1),
    seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    prevSeed: fc.uint8Array({ minLength: 1, maxLength: 16 }),
    ts: stampArb,
    text: fc.string({ unit: 'binary', maxLength: 1000 }),
    refs: fc.option(fc.array(cidArb, { minLength: 1, maxLength: 32 }), { nil: undefined })
  })

  it('validate gives back the id, space and fields of what signEntry signed', () => {
    fc.assert(fc.property(noteArb, (n) => {
      const author = n.author === 0 ? alice : bob
      const fields: UnsignedEntry<{ text: string }> = {
        v: 1,
        space: space.id,
        author: author.id,
        seq: n.seq,
        prev: n.seq === 1 ? null : cidOf(n.prevSeed),
        ts: n.ts,
        type: NOTE_TYPE,
        body: { text: n.text }
      }
      if (n.refs !== undefined) fields.refs = n.refs
      const signed = signEntry(author, fields)
      const checked = validateEntry<{ text: string }>(signed.bytes, validator())
      expect(checked.id.equals(signed.id)).toBe(true)
      expect(checked.id.equals(cidOf(signed.bytes))).toBe(true)
      expect(checked.space).toBe(space.id.toString())
      const { sig, ...rest } = checked.entry
      expect(rest).toEqual(fields)
      expect(bytesEqual(sig, signed.entry.sig)).toBe(true)
      expect(bytesEqual(checked.bytes, signed.bytes)).toBe(true)
    }), { numRuns: 300 })
  })

  it('a genesis is its own space: validate gives back its body and id as the space', () => {
    fc.assert(fc.property(genesisBodyArb, stampArb, (body, ts) => {
      const signed = signEntry(alice, { v: 1, space: null, author: alice.id, seq: 1, prev: null, ts, type: GENESIS_TYPE, body })
      const checked = validateEntry<GenesisBody>(signed.bytes, validator())
      expect(checked.id.equals(signed.id)).toBe(true)
      expect(checked.space).toBe(signed.id.toString())
      expect(checked.entry.body).toEqual(body)
    }), { numRuns: 200 })
  })

  it('rejects every single flipped bit of signed entries with a named error', () => {
    const note1 = signEntry(alice, {
      v: 1, space: space.id, author: alice.id, seq: 1, prev: null, ts: [NOW - 5000, 0], type: NOTE_TYPE, body: { text: 'first' }
    })
    const note2 = signEntry(alice, {
      v: 1,
      space: space.id,
      author: alice.id,
      seq: 2,
      prev: note1.id,
      ts: [NOW - 4000, 7],
      type: NOTE_TYPE,
      body: { text: 'second, with refs: ünïcødé 🚀' },
      refs: [space.id, note1.id]
    })
    const byBob = signEntry(bob, {
      v: 1, space: space.id, author: bob.id, seq: 300, prev: note2.id, ts: [NOW, 2 ** 32 - 1], type: NOTE_TYPE, body: { text: '' }
    })
    const init = validator()
    let flips = 0
    for (const signed of [space, note1, note2, byBob]) {
      expect(rejection(signed.bytes, init)).toBeUndefined()
      for (let bit = 0; bit < signed.bytes.byteLength * 8; bit++) {
        const mutated = Uint8Array.from(signed.bytes)
        mutated[bit >> 3] ^= 1 << (bit & 7)
        const err = rejection(mutated, init)
        if (err === undefined || !(err instanceof ProtocolError) || !ENTRY_ERRORS.has(err.name)) {
          throw new Error(`bit ${bit} of a ${signed.entry.type} entry: expected a named rejection, got ${String(err?.name)}: ${String(err?.message)}`)
        }
        flips++
      }
    }
    expect(flips).toBe(8 * [space, note1, note2, byBob].reduce((n, s) => n + s.bytes.byteLength, 0))
  })

  it('gives the same verdict, error for error, when the signature is checked on the thread pool (checkEntry, then verifyChecked)', async () => {
    const note = signEntry(alice, {
      v: 1, space: space.id, author: alice.id, seq: 1, prev: null, ts: [NOW - 5000, 0], type: NOTE_TYPE, body: { text: 'checked twice' }
    })
    const init = validator()
    const twoStep = async (bytes: Uint8Array): Promise<string> => {
      try {
        const signed = await verifyChecked(checkEntry(bytes, init), init.verifier)
        return `valid ${signed.id.toString()}`
      } catch (err) {
        return (err as Error).name
      }
    }
    const oneStep = (bytes: Uint8Array): string => {
      const err = rejection(bytes, init)
      return err === undefined ? `valid ${validateEntry(bytes, init).id.toString()}` : err.name
    }
    const verdicts = new Set<string>()
    for (const signed of [space, note]) {
      const cases = [signed.bytes]
      for (let bit = 0; bit < signed.bytes.byteLength * 8; bit++) {
        const mutated = Uint8Array.from(signed.bytes)
        mutated[bit >> 3] ^= 1 << (bit & 7)
        cases.push(mutated)
      }
      const got = await Promise.all(cases.map(twoStep))
      expect(got).toEqual(cases.map(oneStep))
      for (const v of got) verdicts.add(v.startsWith('valid') ? 'valid' : v)
    }
    // The flips reach the signature check itself, not only the decoder.
    expect(verdicts).toContain('valid')
    expect(verdicts).toContain('BadSignatureError')
  })

  it('gives every signed entry exactly one byte form: non-canonical encodings are refused', () => {
    const note = signEntry(alice, {
      v: 1, space: space.id, author: alice.id, seq: 1, prev: null, ts: [NOW - 5000, 3], type: NOTE_TYPE, body: { text: 'one form' }
    })
    const init = validator()
    const bytes = note.bytes
    // Map header (1 byte) then keys in DAG-CBOR order: "v" (0x61 0x76) first. Moving the first
    // key/value pair ("v": 1, 3 bytes) to the end keeps every field but breaks the key order.
    expect(Array.from(bytes.subarray(1, 4))).toEqual([0x61, 0x76, 0x01])
    const unsorted = new Uint8Array(bytes.byteLength)
    unsorted[0] = bytes[0]
    unsorted.set(bytes.subarray(4), 1)
    unsorted.set(bytes.subarray(1, 4), bytes.byteLength - 3)
    expect(decode(unsorted)).toEqual(decode(bytes))
    expect(rejection(unsorted, init)?.name).toBe('EntryDecodeError')
    // The same entry with v written as a float64 1.0 instead of the integer 1.
    const float = new Uint8Array(bytes.byteLength + 8)
    float.set(bytes.subarray(0, 3), 0)
    float.set([0xfb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0], 3)
    float.set(bytes.subarray(4), 12)
    expect(decode(float)).toEqual(decode(bytes))
    expect(rejection(float, init)?.name).toBe('EntryDecodeError')
    // prev: null (0xf6) written as undefined (0xf7), which the decoder reads as null.
    const prevKey = bytes.findIndex((_, i) => bytes[i] === 0x64 && String.fromCharCode(...bytes.subarray(i + 1, i + 5)) === 'prev')
    expect(bytes[prevKey + 5]).toBe(0xf6)
    const undef = Uint8Array.from(bytes)
    undef[prevKey + 5] = 0xf7
    expect(decode(undef)).toEqual(decode(bytes))
    expect(rejection(undef, init)?.name).toBe('EntryDecodeError')
    expect(rejection(bytes, init)).toBeUndefined()
  })

  it('rejects a signature made by anyone but the author', () => {
    const forged = signEntry(bob, {
      v: 1, space: space.id, author: bob.id, seq: 1, prev: null, ts: [NOW, 0], type: NOTE_TYPE, body: { text: 'hi' }
    })
    const claimed = encode({ ...forged.entry, author: alice.id })
    expect(rejection(claimed)?.name).toBe('BadSignatureError')
  })
})

describe('hybrid clock', () => {
  /** Operations on a clock: read a wall clock that may jump anywhere, or observe a remote stamp. */
  const opArb = fc.oneof(
    fc.record({ op: fc.constant('tick' as const), wall: fc.integer({ min: 0, max: 2 ** 45 }) }),
    fc.record({ op: fc.constant('observe' as const), stamp: fc.tuple(fc.integer({ min: 0, max: 2 ** 45 }), fc.nat({ max: 2 ** 20 })) })
  )

  it('every tick is above every stamp issued or observed before it, and at or after the wall clock', () => {
    fc.assert(fc.property(fc.array(opArb, { minLength: 1, maxLength: 200 }), (ops) => {
      let wall = 0
      const clock = new HybridClock({ now: () => wall })
      let highest: Stamp = [0, 0]
      for (const o of ops) {
        if (o.op === 'tick') {
          wall = o.wall
          const stamp = clock.tick()
          expect(compareStamps(stamp, highest)).toBeGreaterThan(0)
          expect(stamp[0]).toBeGreaterThanOrEqual(wall)
          highest = stamp
        } else {
          clock.observe(o.stamp)
          if (compareStamps(o.stamp, highest) > 0) highest = o.stamp
        }
        expect(clock.peek()).toEqual(highest)
      }
    }), { numRuns: 300 })
  })

  it('follows the wall clock while it moves forward, and counts within one millisecond', () => {
    fc.assert(fc.property(fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 100 }), (steps) => {
      let wall = 1_000
      const clock = new HybridClock({ now: () => wall })
      let prev = clock.tick()
      for (const step of steps) {
        wall += step
        const stamp = clock.tick()
        expect(stamp).toEqual(step > 0 ? [wall, 0] : [prev[0], prev[1] + 1])
        prev = stamp
      }
    }))
  })

  it('orders stamps as a total order consistent with equality', () => {
    fc.assert(fc.property(stampArb, stampArb, stampArb, (a, b, c) => {
      expect(Math.sign(compareStamps(a, b))).toBe(-Math.sign(compareStamps(b, a)))
      expect(compareStamps(a, b) === 0).toBe(a[0] === b[0] && a[1] === b[1])
      if (compareStamps(a, b) <= 0 && compareStamps(b, c) <= 0) expect(compareStamps(a, c)).toBeLessThanOrEqual(0)
    }))
  })
})
