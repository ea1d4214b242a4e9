import { beforeAll, describe, expect, it } from 'vitest'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import {
  CID, GENESIS_TYPE, NOTE_TYPE, ProtocolError, RecordRegistry, Verifier, baseRecordTypes, cidOf, decode, encode,
  exportIdentity, identityFromPrivateKey, importIdentity, isIdentityId, publicKeyOf, signEntry, validateEntry,
  type Identity, type SignedEntry, type ValidateInit
} from '@mutual/protocol'

/**
 * Random and mutated inputs through every decoder and validator of the protocol: each must
 * return or throw a named error (a ProtocolError), never a TypeError or RangeError, and never
 * hang. The run is seeded; set MUTUAL_FUZZ_SEED to replay a failure.
 */

const SEED = Number(process.env.MUTUAL_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32))
const INPUTS = 100_000
/** Far above any single call's time on a loaded machine, far below a hang. */
const SLOW_CALL_MS = 2_000
const NOW = 1_750_000_000_000

const ENTRY_ERRORS = new Set([
  'EntryTooLargeError', 'EntryDecodeError', 'EntryShapeError', 'UnknownTypeError', 'BadSignatureError',
  'InvalidIdentityError', 'ClockSkewError', 'BodyTooLargeError', 'BodySchemaError'
])

// --- seeded randomness ----------------------------------------------------------------------

/** mulberry32: small, fast, and the same sequence on every machine for one seed. */
function prng (seed: number): Random {
  let a = seed >>> 0
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
  const int = (n: number): number => next() % n
  return {
    int,
    chance: (p) => next() / 2 ** 32 < p,
    pick: (list) => list[int(list.length)],
    bytes: (n) => {
      const out = new Uint8Array(n)
      for (let i = 0; i < n; i++) out[i] = next() & 0xff
      return out
    }
  }
}

interface Random {
  /** an integer in [0, n) */
  int: (n: number) => number
  chance: (p: number) => boolean
  pick: <T>(list: readonly T[]) => T
  bytes: (n: number) => Uint8Array
}

function concat (...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.byteLength
  }
  return out
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

/** Byte values that mean something in CBOR headers: lengths, simple values, tags, breaks. */
const INTERESTING = [0x00, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1f, 0x3b, 0x40, 0x5b, 0x5f, 0x60, 0x7b, 0x7f, 0x80, 0x9b, 0x9f,
  0xa0, 0xbb, 0xbf, 0xc0, 0xd8, 0x2a, 0xf4, 0xf5, 0xf6, 0xf7, 0xf9, 0xfa, 0xfb, 0xff]

function randomLength (r: Random): number {
  const band = r.int(10)
  if (band < 3) return r.int(17)
  if (band < 9) return r.int(257)
  return r.int(4097)
}

/** A random value of the IPLD data model, for structure-aware mutations. */
function randomValue (r: Random, depth = 0): unknown {
  switch (r.int(depth > 2 ? 7 : 9)) {
    case 0: return null
    case 1: return r.chance(0.5)
    case 2: return r.pick([0, 1, -1, 23, 24, 255, 256, 2 ** 32, Number.MAX_SAFE_INTEGER, -(2 ** 53), r.int(2 ** 31)])
    case 3: return r.pick([0.5, -1.5, 1e300, 2 ** 60, 18446744073709551615n, -18446744073709551616n])
    case 4: return String.fromCharCode(...r.bytes(r.int(20)))
    case 5: return r.bytes(r.int(70))
    case 6: return cidOf(r.bytes(8))
    case 7: return Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1))
    default: {
      const keys = ['v', 'space', 'author', 'seq', 'prev', 'ts', 'type', 'body', 'refs', 'sig', 'text', 'kind', 'x']
      return Object.fromEntries(Array.from({ length: r.int(5) }, () => [r.pick(keys), randomValue(r, depth + 1)]))
    }
  }
}

/** The key/value pairs of a top-level map, each as the bytes it has inside the map. */
function mapPairs (bytes: Uint8Array): Uint8Array[] {
  const value = decode<Record<string, unknown>>(bytes)
  return Object.entries(value).map(([k, v]) => encode({ [k]: v }).subarray(1))
}

/** A map of fewer than 24 pairs, written pair by pair: lets a mutation break order or uniqueness. */
function mapOf (pairs: Uint8Array[]): Uint8Array {
  return concat(Uint8Array.of(0xa0 + pairs.length), ...pairs)
}

function mutate (r: Random, input: Uint8Array, corpus: Uint8Array[]): Uint8Array {
  let b = input
  const rounds = 1 + r.int(4)
  for (let i = 0; i < rounds; i++) {
    if (b.byteLength === 0) return r.bytes(randomLength(r))
    const at = r.int(b.byteLength)
    switch (r.int(11)) {
      case 0: { // flip a few bits
        b = Uint8Array.from(b)
        for (let n = 1 + r.int(8); n > 0; n--) {
          const bit = r.int(b.byteLength * 8)
          b[bit >> 3] ^= 1 << (bit & 7)
        }
        break
      }
      case 1: // set a byte to a CBOR header value
        b = Uint8Array.from(b)
        b[at] = r.pick(INTERESTING)
        break
      case 2: // truncate
        b = b.slice(0, at)
        break
      case 3: // extend
        b = concat(b, r.bytes(1 + r.int(64)))
        break
      case 4: // insert bytes
        b = concat(b.subarray(0, at), r.bytes(1 + r.int(8)), b.subarray(at))
        break
      case 5: // delete a range
        b = concat(b.subarray(0, at), b.subarray(Math.min(b.byteLength, at + 1 + r.int(16))))
        break
      case 6: { // splice with another input
        const other = r.pick(corpus)
        b = concat(b.subarray(0, at), other.subarray(r.int(other.byteLength + 1)))
        break
      }
      default: { // structure-aware: the map's fields duplicated, dropped, reordered, replaced, added
        let pairs: Uint8Array[]
        try {
          pairs = mapPairs(b)
        } catch {
          b = Uint8Array.from(b)
          b[at] ^= 0xff
          break
        }
        if (pairs.length === 0 || pairs.length > 20) break
        const k = r.int(pairs.length)
        const kind = r.int(5)
        if (kind === 0) pairs.splice(k, 0, pairs[k])
        else if (kind === 1) pairs.splice(k, 1)
        else if (kind === 2) pairs.push(...pairs.splice(k, 1))
        else if (kind === 3) {
          const key = Object.keys(decode<Record<string, unknown>>(mapOf([pairs[k]])))[0]
          pairs[k] = encode({ [key]: randomValue(r) }).subarray(1)
        } else pairs.push(encode({ [r.pick(['v', 'seq', 'zz', 'refs', 'body'])]: randomValue(r) }).subarray(1))
        b = mapOf(pairs)
      }
    }
  }
  return b
}

/** Deeply nested arrays or maps, up to far past any stack's depth. */
function deepNesting (r: Random): Uint8Array {
  const depth = r.pick([100, 1_000, 10_000, 200_000])
  const open = r.chance(0.5) ? Uint8Array.of(0x81) : Uint8Array.of(0xa1, 0x61, 0x61)
  const out = new Uint8Array(open.byteLength * depth + 1)
  for (let i = 0; i < depth; i++) out.set(open, i * open.byteLength)
  out[out.byteLength - 1] = 0x01
  return out
}

// --- the harness ----------------------------------------------------------------------------

/**
 * Runs `fn` on `input`; fails with the seed, iteration and input if it throws anything but a
 * named error, or takes too long.
 */
function expectNamed (what: string, i: number, input: Uint8Array | string, names: Set<string>, fn: () => void): ProtocolError | undefined {
  const started = performance.now()
  let error: ProtocolError | undefined
  try {
    fn()
  } catch (err) {
    if (!(err instanceof ProtocolError) || !names.has(err.name)) {
      const shown = typeof input === 'string' ? JSON.stringify(input.slice(0, 300)) : hex(input.subarray(0, 300))
      throw new Error(`${what} #${i} (seed ${SEED}) threw ${(err as Error)?.name}: ${(err as Error)?.message}\n  input: ${shown}`)
    }
    error = err
  }
  const ms = performance.now() - started
  if (ms > SLOW_CALL_MS) throw new Error(`${what} #${i} (seed ${SEED}) took ${Math.round(ms)} ms`)
  return error
}

describe(`fuzzing decoders and validators (MUTUAL_FUZZ_SEED=${SEED})`, () => {
  let identities: Identity[]
  let entries: SignedEntry[]
  let corpus: Uint8Array[]
  let valid: Set<string>
  let init: ValidateInit

  beforeAll(async () => {
    console.log(`protocol fuzz seed ${SEED}: rerun with MUTUAL_FUZZ_SEED=${SEED}`)
    const r = prng(SEED)
    identities = await Promise.all([0, 1, 2].map(async () => identityFromPrivateKey(await generateKeyPairFromSeed('Ed25519', r.bytes(32)))))
    const [alice, bob, carol] = identities
    const listed = signEntry(alice, {
      v: 1,
      space: null,
      author: alice.id,
      seq: 1,
      prev: null,
      ts: [NOW - 60_000, 0],
      type: GENESIS_TYPE,
      body: { kind: 'org', name: 'fuzz org', policy: { write: 'listed', writers: [bob.id, carol.id] }, encrypted: false, nonce: r.bytes(32) }
    })
    const open = signEntry(bob, {
      v: 1,
      space: null,
      author: bob.id,
      seq: 1,
      prev: null,
      ts: [NOW - 50_000, 3],
      type: GENESIS_TYPE,
      body: { kind: 'board', name: 'ünïcødé 🚀 board', policy: { write: 'anyone', writers: [] }, encrypted: true, nonce: r.bytes(8) }
    })
    const first = signEntry(alice, {
      v: 1, space: listed.id, author: alice.id, seq: 1, prev: null, ts: [NOW - 40_000, 0], type: NOTE_TYPE, body: { text: 'first' }
    })
    const second = signEntry(alice, {
      v: 1,
      space: listed.id,
      author: alice.id,
      seq: 2,
      prev: first.id,
      ts: [NOW - 40_000, 1],
      type: NOTE_TYPE,
      body: { text: 'with refs' },
      refs: [listed.id, first.id, cidOf(r.bytes(16))]
    })
    const long = signEntry(carol, {
      v: 1, space: open.id, author: carol.id, seq: 41, prev: cidOf(r.bytes(4)), ts: [NOW, 2 ** 32 - 1], type: NOTE_TYPE, body: { text: '€'.repeat(4096) }
    })
    entries = [listed, open, first, second, long]
    corpus = [...entries.map((e) => e.bytes), encode({ v: 1 }), encode([1, 'a', null]), encode(cidOf(r.bytes(2)))]
    valid = new Set(entries.map((e) => hex(e.bytes)))
    init = { registry: new RecordRegistry(baseRecordTypes()), verifier: new Verifier(), now: NOW }
    for (const e of entries) expect(validateEntry(e.bytes, init).id.equals(e.id)).toBe(true)
  })

  it(`${INPUTS} random and mutated byte strings through decode and validateEntry`, () => {
    const r = prng(SEED ^ 0x5eed0001)
    const counts = new Map<string, number>()
    let accepted = 0
    for (let i = 0; i < INPUTS; i++) {
      const kind = r.int(100)
      let input: Uint8Array
      if (kind < 20) input = r.bytes(randomLength(r))
      else if (kind < 25) input = concat(Uint8Array.of(r.pick(INTERESTING)), r.bytes(randomLength(r)))
      else if (kind < 30) input = encode(randomValue(r))
      else if (kind === 30 && r.chance(0.05)) input = deepNesting(r)
      else input = mutate(r, r.pick(corpus), corpus)

      expectNamed('decode', i, input, new Set(['EntryDecodeError']), () => { decode(input) })
      const err = expectNamed('validateEntry', i, input, ENTRY_ERRORS, () => { validateEntry(input, init) })
      if (err === undefined) {
        // Only the signed entries themselves validate: no mutation forges or re-encodes one.
        if (!valid.has(hex(input))) throw new Error(`validateEntry #${i} (seed ${SEED}) accepted a mutated entry: ${hex(input)}`)
        accepted++
      } else {
        counts.set(err.name, (counts.get(err.name) ?? 0) + 1)
      }
    }
    // The mutations reach past decoding into every later check, not only the first.
    for (const name of ['EntryDecodeError', 'EntryShapeError', 'BadSignatureError', 'BodySchemaError', 'InvalidIdentityError']) {
      expect(counts.get(name) ?? 0, `${name} never seen`).toBeGreaterThan(0)
    }
    expect(accepted).toBeLessThan(INPUTS / 10)
  }, 60_000)

  it(`${INPUTS} random and mutated key files through importIdentity`, () => {
    const r = prng(SEED ^ 0x5eed0002)
    const keys = identities.map(exportIdentity)
    let imported = 0
    for (let i = 0; i < INPUTS; i++) {
      const kind = r.int(10)
      let input: Uint8Array
      if (kind < 2) input = r.bytes(randomLength(r))
      else if (kind < 4) {
        // A well-formed protobuf of a random key type and random key bytes.
        const data = r.bytes(r.pick([0, 1, 31, 32, 33, 63, 64, 65, 96, 97, r.int(600)]))
        input = concat(Uint8Array.of(0x08, r.int(5), 0x12), encodeVarint(data.byteLength), data)
      } else input = mutate(r, r.pick(keys), keys)

      let identity: Identity | undefined
      expectNamed('importIdentity', i, input, new Set(['InvalidIdentityError']), () => { identity = importIdentity(input) })
      if (identity !== undefined) {
        imported++
        expect(identity.publicKey.byteLength).toBe(32)
        expect(isIdentityId(identity.id)).toBe(true)
      }
    }
    expect(imported).toBeGreaterThan(0)
  }, 60_000)

  it(`${INPUTS} random and mutated identity ids through publicKeyOf`, () => {
    const r = prng(SEED ^ 0x5eed0003)
    const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
    const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'
    const ids = identities.map((id) => id.id)
    const chars = (alphabet: string, n: number): string => Array.from({ length: n }, () => alphabet[r.int(alphabet.length)]).join('')
    let parsed = 0
    for (let i = 0; i < INPUTS; i++) {
      let input: string
      const id = r.pick(ids)
      const at = r.int(id.length)
      switch (r.int(10)) {
        case 0: input = String.fromCharCode(...r.bytes(r.int(80))); break
        case 1: input = String.fromCodePoint(...Array.from({ length: r.int(30) }, () => r.int(0x110000)).filter((c) => c < 0xd800 || c > 0xdfff)); break
        case 2: input = r.pick(['1', 'Q', '12D3KooW', 'Qm', '16Uiu2', 'z']) + chars(BASE58, r.int(60)); break
        case 3: input = r.pick(['bafz', 'k51qzi5uqu5', 'kzwfwjn5ji4', 'k2k4r8', 'b']) + chars(BASE32, r.int(70)); break
        case 4: input = id.slice(0, at) + chars(BASE58, 1) + id.slice(at + 1); break
        case 5: input = id.slice(0, at) + id.slice(at + 1 + r.int(4)); break
        case 6: input = id.slice(0, at) + chars(BASE58, 1 + r.int(3)) + id.slice(at); break
        case 7: input = id + String.fromCharCode(...r.bytes(1 + r.int(4))); break
        case 8: input = id.slice(0, at); break
        default: input = chars(BASE58, r.int(120))
      }
      let key: Uint8Array | undefined
      const err = expectNamed('publicKeyOf', i, input, new Set(['InvalidIdentityError']), () => { key = publicKeyOf(input) })
      // isIdentityId is publicKeyOf without the throw: check they agree, on a sample (it parses again).
      if (i % 8 === 0) expect(isIdentityId(input)).toBe(err === undefined)
      if (key !== undefined) {
        parsed++
        expect(key.byteLength).toBe(32)
      }
    }
    expect(parsed).toBeGreaterThan(0)
  }, 60_000)

  it('refuses adversarial shapes that decode: deep nesting, huge declared lengths, bare CIDs', () => {
    const cases = [
      deepNesting(prng(1)),
      concat(new Uint8Array(200_000).fill(0x81), Uint8Array.of(0x01)),
      Uint8Array.of(0x9b, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff),
      Uint8Array.of(0xbb, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff),
      Uint8Array.of(0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
      Uint8Array.of(0xd8, 0x2a, 0x41, 0x00),
      Uint8Array.of(0xf7),
      encode(CID.parse('bafyreigh4ikmwvfxhgayirwnay2hsuortawchfzptg7zemnzywsklqenye'))
    ]
    for (const [i, input] of cases.entries()) {
      expectNamed('decode', i, input, new Set(['EntryDecodeError']), () => { decode(input) })
      const err = expectNamed('validateEntry', i, input, ENTRY_ERRORS, () => { validateEntry(input, init) })
      expect(err).toBeInstanceOf(ProtocolError)
    }
  })
})

function encodeVarint (n: number): Uint8Array {
  const out: number[] = []
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80)
    n >>>= 7
  }
  out.push(n)
  return Uint8Array.from(out)
}
