import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  DEFAULT_MAX_SKEW_MS, MAX_ENTRY_BYTES, NOTE_TYPE, cidOf, encode, generateIdentity, signEntry,
  type Identity, type SignedEntry, type UnsignedEntry
} from '@mutual/protocol'
import { levelStore, type Log } from '@mutual/log'
import { genesisBody, openLog } from './helpers.js'

const NOW = 1_750_000_000_000

describe('bad input to a log', () => {
  let dir: string
  let log: Log
  let alice: Identity
  let bob: Identity
  let mallory: Identity
  let space: string
  let spaceId: SignedEntry['id']
  let head: SignedEntry
  let bobFirst: SignedEntry

  /** alice's next entry (seq 4) after her head; `overrides` may break any field. */
  function next (overrides: Partial<UnsignedEntry<unknown>> = {}, identity = alice): SignedEntry {
    return signEntry(identity, {
      v: 1, space: spaceId, author: identity.id, seq: 4, prev: head.id, ts: [NOW, 10], type: NOTE_TYPE, body: { text: 'next' }, ...overrides
    })
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mutual-bad-input-'))
    alice = await generateIdentity()
    bob = await generateIdentity()
    mallory = await generateIdentity()
    log = await openLog(levelStore({ path: dir }), { now: () => NOW })
    const genesis = await log.createSpace(alice, genesisBody({ policy: { write: 'listed', writers: [bob.id] } }))
    space = genesis.space
    spaceId = genesis.id
    await log.append(alice, space, NOTE_TYPE, { text: 'one' })
    head = await log.append(alice, space, NOTE_TYPE, { text: 'two' })
    bobFirst = await log.append(bob, space, NOTE_TYPE, { text: 'bob' })
    expect(head.entry.seq).toBe(3)
    expect(head.entry.ts).toEqual([NOW, 2])
  })

  afterEach(async () => {
    await log.stop()
    await rm(dir, { recursive: true, force: true })
  })

  /** Ingests bytes expecting the named error, then checks that nothing about the space changed. */
  async function expectRejected (bytes: Uint8Array, name: string): Promise<void> {
    const vector = log.vector(space)
    const forks = log.forks(space)
    const pending = log.pending
    await expect(log.ingest(bytes)).rejects.toMatchObject({ name })
    await log.flush()
    expect(log.vector(space)).toEqual(vector)
    expect(log.forks(space)).toEqual(forks)
    expect(log.pending).toBe(pending)
    expect(await log.getById(cidOf(bytes).toString())).toBeUndefined()
  }

  it('refuses each kind of bad entry with its own named error and stores none of them', async () => {
    const seq = 4
    const cases: Array<[string, SignedEntry]> = [
      ['EntryTooLargeError', next({ body: { text: 'x'.repeat(MAX_ENTRY_BYTES) } })],
      ['PrevMismatchError', next({ prev: spaceId })],
      ['ClockRegressionError', next({ ts: [NOW, 1] })],
      ['ClockSkewError', next({ ts: [NOW + DEFAULT_MAX_SKEW_MS + 1, 0] })],
      ['UnknownTypeError', next({ type: 'space/unheard-of' })],
      ['BodySchemaError', next({ body: { text: 'hi', html: '<b>hi</b>' } })],
      ['UnauthorizedError', next({ seq: 1, prev: null }, mallory)]
    ]
    for (const [name, bad] of cases) await expectRejected(bad.bytes, name)
    // A signature that does not cover the bytes: a valid entry, changed after signing.
    const good = next()
    const tampered = encode({ ...good.entry, body: { text: 'changed' } })
    await expectRejected(tampered, 'BadSignatureError')
    expect(await log.get(space, alice.id, seq)).toBeUndefined()

    // None of it harmed the log: the entry that does follow is taken.
    expect((await log.ingest(good.bytes)).status).toBe('added')
    expect(log.vector(space)[alice.id]).toEqual({ seq, head: good.id.toString() })
  })

  it('refuses an entry that branches from another predecessor, below or at the head', async () => {
    const stray = next({ seq: 3, prev: spaceId })
    await expectRejected(stray.bytes, 'PrevMismatchError')
    expect((await log.get(space, alice.id, 3))?.id.toString()).toBe(head.id.toString())
  })

  it('refuses a re-encoded copy of an entry rather than taking it for an equivocation', async () => {
    // bob's first entry with prev: null written as CBOR undefined, which decoders read as null:
    // the same signed fields under a different id would look like a fork and freeze bob.
    const bytes = Uint8Array.from(bobFirst.bytes)
    const at = bytes.findIndex((_, i) => bytes[i] === 0x64 && String.fromCharCode(...bytes.subarray(i + 1, i + 5)) === 'prev')
    expect(bytes[at + 5]).toBe(0xf6)
    bytes[at + 5] = 0xf7
    await expectRejected(bytes, 'EntryDecodeError')
    expect(log.vector(space)[bob.id]).toEqual({ seq: 1, head: bobFirst.id.toString() })
    expect(log.forks(space)).toEqual([])
    expect((await log.append(bob, space, NOTE_TYPE, { text: 'still writing' })).entry.seq).toBe(2)
  })

  it('keeps nothing of the rejected entries across a restart', async () => {
    const bad = [
      next({ prev: spaceId }),
      next({ ts: [NOW, 0] }),
      next({ type: 'space/unheard-of' })
    ]
    for (const b of bad) await expect(log.ingest(b.bytes)).rejects.toThrow()
    const vector = log.vector(space)
    await log.stop()
    log = await openLog(levelStore({ path: dir }), { now: () => NOW })
    expect(log.vector(space)).toEqual(vector)
    for (const b of bad) expect(await log.getById(b.id.toString())).toBeUndefined()
    expect(await log.get(space, alice.id, 4)).toBeUndefined()
    const ids = []
    for await (const e of log.entries(space, alice.id)) ids.push(e.id.toString())
    expect(ids).toHaveLength(3)
    expect(ids[2]).toBe(head.id.toString())
  })
})
