import { describe, expect, it } from 'vitest'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { checkUpdate } from '@mutual/board'
import { prng } from './helpers.js'

/** Valid updates of many shapes: maps, nested types, formatted text, embeds, binaries, deletes, two clients, merges. */
function corpus (seed: number): Uint8Array[] {
  const rand = prng(seed)
  const docs = [new Y.Doc(), new Y.Doc()]
  const updates: Uint8Array[] = []
  docs[0].on('update', (u: Uint8Array) => { updates.push(u); Y.applyUpdate(docs[1], u) })
  for (let i = 0; i < 40; i++) {
    const tasks = docs[0].getMap('tasks')
    const t = new Y.Map()
    tasks.set(`t${i}`, t)
    t.set('title', `task ${i}`)
    const text = new Y.Text('hello wörld 😀')
    t.set('description', text)
    text.insert(2, 'abc', { bold: true })
    text.delete(1, 2)
    t.set('estimate', rand())
    t.set('labels', ['a', 'b', { c: [1, 2n, null, true, -7, 1.5] }])
    const arr = new Y.Array()
    t.set('comments', arr)
    arr.push([1, 'x', new Uint8Array([1, 2])])
    if (i % 3 === 0) tasks.delete(`t${i - 1}`)
    text.insertEmbed(0, { img: 'x' })
    text.format(0, 3, { italic: true })
    if (i % 7 === 0) docs[1].getArray('other').insert(0, [`q${i}`, { z: i }])
  }
  docs[1].on('update', (u: Uint8Array) => updates.push(u))
  docs[1].getArray('other').push(['last'])
  updates.push(Y.encodeStateAsUpdate(docs[0]), Y.encodeStateAsUpdate(docs[1]), Y.mergeUpdates(updates.slice(0, 10)))
  return updates
}

function expectInvalid (bytes: Uint8Array, message?: RegExp): void {
  expect(() => checkUpdate(bytes)).toThrow(expect.objectContaining({ name: 'InvalidUpdateError' }))
  if (message !== undefined) expect(() => checkUpdate(bytes)).toThrow(message)
}

describe('checkUpdate', () => {
  it('accepts what Yjs writes', () => {
    for (const u of corpus(1)) expect(checkUpdate(u).structsEnd).toBeGreaterThan(0)
    expect(checkUpdate(Y.encodeStateAsUpdate(new Y.Doc()))).toMatchObject({ clients: 0, structs: 0, deleteRanges: 0 })
  })

  it('refuses empty, truncated, trailing and oversized buffers', () => {
    const u = corpus(2).at(-3) as Uint8Array
    expectInvalid(new Uint8Array(0))
    for (const n of [1, 2, 5, u.length >> 1, u.length - 1]) expectInvalid(u.subarray(0, n))
    expectInvalid(new Uint8Array([...u, 0]))
    expectInvalid(new Uint8Array(512 * 1024 + 1))
  })

  it('bounds counts by the bytes present instead of looping on them', () => {
    const huge = (n: number): number[] => {
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, n)
      return [...encoding.toUint8Array(e)]
    }
    const t = performance.now()
    expectInvalid(new Uint8Array([...huge(2 ** 40), 0, 0]), /client count/)
    expectInvalid(new Uint8Array([1, ...huge(2 ** 31), 1, 0, 0, 0]), /struct count/)
    expectInvalid(new Uint8Array([1, ...huge(4_000_000), 5, 0, ...new Array(64).fill(0)]), /struct count/)
    expectInvalid(new Uint8Array([0, ...huge(2 ** 40)]), /delete set clients/)
    expectInvalid(new Uint8Array([0, 1, 5, ...huge(2 ** 33)]), /delete ranges/)
    // One Any item under root "t" holding a value nested past any board's need (each level an array of one).
    const deep = [1, 1, 3, 0, 8, 1, 1, 0x74, 1, ...new Array(5000).fill([117, 1]).flat(), 126, 0]
    expectInvalid(new Uint8Array(deep), /nested too deeply/)
    expect(checkUpdate(new Uint8Array([1, 1, 3, 0, 8, 1, 1, 0x74, 1, ...new Array(20).fill([117, 1]).flat(), 126, 0])).structs).toBe(1)
    expect(performance.now() - t).toBeLessThan(500)
  })

  it('never reads past the update inside a larger buffer', () => {
    // A string length that reaches past the update but not past the buffer it is a view of.
    const backing = new Uint8Array(4096).fill(65)
    const update = [1, 1, 3, 0, 4, 1, 1, 0x61, 100, 0]
    backing.set(update, 0)
    expectInvalid(backing.subarray(0, update.length), /string content of 100 exceeds/)
  })

  it('refuses subdocuments and self-references of an item\'s own client', () => {
    const doc = new Y.Doc()
    doc.getMap('m').set('sub', new Y.Doc())
    expectInvalid(Y.encodeStateAsUpdate(doc), /subdocuments/)
    // client 5, clock 0: one String item whose origin is 5:0 — itself.
    expectInvalid(new Uint8Array([1, 1, 5, 0, 0x84, 5, 0, 1, 0x61, 0]), /not before the item/)
  })

  it('survives 24,000 random, mutated and truncated buffers: each is refused, or applies cleanly', () => {
    const updates = corpus(3)
    const full = Y.encodeStateAsUpdate((() => { const d = new Y.Doc(); for (const u of updates) Y.applyUpdate(d, u); return d })())
    const half = Y.mergeUpdates(updates.slice(0, updates.length >> 1))
    const rand = prng(20_000)
    let accepted = 0
    let slowest = 0
    const started = performance.now()
    for (let n = 0; n < 24_000; n++) {
      let b = updates[Math.floor(rand() * updates.length)].slice()
      const at = Math.floor(rand() * b.length)
      switch (n % 6) {
        case 0: b = b.subarray(0, at); break
        case 1: for (let k = 0; k < 1 + rand() * 4; k++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256); break
        case 2: b = Uint8Array.from({ length: Math.floor(rand() * 96) }, () => Math.floor(rand() * 256)); break
        case 3: b = new Uint8Array([...b.subarray(0, at), Math.floor(rand() * 256), ...b.subarray(at)]); break
        case 4: b = new Uint8Array([...b.subarray(0, at), ...b.subarray(at + 1 + Math.floor(rand() * 3))]); break
        default: b[at] = rand() < 0.5 ? (b[at] + 1) & 255 : (b[at] + 255) & 255
      }
      const t = performance.now()
      let ok = false
      try {
        checkUpdate(b)
        ok = true
      } catch (err) {
        expect((err as Error).name).toBe('InvalidUpdateError')
      }
      slowest = Math.max(slowest, performance.now() - t)
      if (!ok) continue
      accepted++
      // Accepted: applies to an empty document, to one that holds part of the history, and the rest applies after it.
      Y.applyUpdate(new Y.Doc(), b)
      const doc = new Y.Doc()
      Y.applyUpdate(doc, half)
      Y.applyUpdate(doc, b)
      Y.applyUpdate(doc, full)
      doc.toJSON()
    }
    expect(accepted).toBeGreaterThan(1000)
    // Bounded time: no buffer comes near a hang (the bound leaves room for a slow, busy machine).
    expect(slowest).toBeLessThan(1000)
    expect(performance.now() - started).toBeLessThan(60_000)
  }, 120_000)
})
