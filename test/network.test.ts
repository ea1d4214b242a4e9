import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildOnce, cleanup, eventually, mutual, mutualJson, startDaemon, tempHome, type DaemonProcess } from './cli/helpers.js'

/**
 * The network end to end: real `mutual daemon` processes on loopback, each with its own data
 * directory, driven only through the CLI.
 */

const running: DaemonProcess[] = []
beforeAll(() => { buildOnce() }, 120_000)
afterEach(async () => { await Promise.all(running.splice(0).map(async (d) => await d.stop())) })
afterAll(() => { cleanup() })

// Anti-entropy off: an entry that arrives at all came by gossip, or by the sync a connection or a
// gossip gap starts.
async function daemon (home: string, options: { mdns?: boolean, args?: string[] } = {}): Promise<DaemonProcess> {
  const d = await startDaemon(home, { ...options, config: { syncIntervalMs: 0 } })
  running.push(d)
  return d
}

const peersOf = async (d: DaemonProcess): Promise<string[]> =>
  (await mutualJson<{ peers: Array<{ id: string }> }>(['peers', '--home', d.home])).peers.map((p) => p.id)
const vectorOf = async (d: DaemonProcess, space: string): Promise<Record<string, { seq: number, head: string }>> =>
  (await mutualJson<{ vector: Record<string, { seq: number, head: string }> }>(['space', 'vector', space, '--home', d.home])).vector
const textsOf = async (d: DaemonProcess, space: string): Promise<string[]> =>
  (await mutualJson<{ entries: Array<{ body: { text?: string } }> }>(['space', 'entries', space, '--limit', '1000', '--home', d.home]))
    .entries.flatMap((e) => e.body.text === undefined ? [] : [e.body.text])

async function append (d: DaemonProcess, space: string, text: string): Promise<void> {
  const result = await mutual(['space', 'append', space, text, '--home', d.home])
  expect(result.code, result.stderr).toBe(0)
}

describe('three daemons', () => {
  it('find each other by mDNS, replicate live by gossip, and a restarted node catches up by sync', async () => {
    const homes = [tempHome(), tempHome(), tempHome()]
    const [a, b] = [await daemon(homes[0], { mdns: true }), await daemon(homes[1], { mdns: true })]
    let c = await daemon(homes[2], { mdns: true })
    // Other nodes on this machine may answer mDNS too: each must find these two, whoever else it finds.
    const ids = [a, b, c].map((d) => d.ready.id)
    for (const d of [a, b, c]) {
      const others = ids.filter((id) => id !== d.ready.id)
      await eventually(async () => { const peers = await peersOf(d); return others.every((id) => peers.includes(id)) }, 30_000, `${d.ready.id} to find both others`)
    }

    const space = (await mutual(['space', 'create', 'network test', '--open', '--home', a.home])).stdout.trim()
    for (const d of [b, c]) expect((await mutual(['space', 'join', space, '--home', d.home])).code).toBe(0)
    for (const d of [b, c]) await eventually(async () => Object.keys(await vectorOf(d, space)).length === 1, 15_000, 'the genesis to arrive')

    // Live: with anti-entropy off and everyone connected already, only gossip carries this entry.
    await append(a, space, 'live from a')
    for (const d of [b, c]) await eventually(async () => (await textsOf(d, space)).includes('live from a'), 15_000, 'gossip')

    expect(await c.stop()).toBe(0)
    running.splice(running.indexOf(c), 1)
    for (let i = 0; i < 3; i++) await append(a, space, `a while c is away ${i}`)
    for (let i = 0; i < 2; i++) await append(b, space, `b while c is away ${i}`)
    await eventually(async () => JSON.stringify(await vectorOf(a, space)) === JSON.stringify(await vectorOf(b, space)), 10_000, 'a and b to agree')

    c = await daemon(homes[2], { mdns: true })
    const expected = await vectorOf(a, space)
    await eventually(async () => JSON.stringify(await vectorOf(c, space)) === JSON.stringify(expected), 30_000, 'c to catch up')
    const vectors = await Promise.all([a, b, c].map(async (d) => await vectorOf(d, space)))
    expect(vectors[1]).toEqual(vectors[0])
    expect(vectors[2]).toEqual(vectors[0])
    expect(Object.values(vectors[0]).reduce((n, v) => n + v.seq, 0)).toBe(1 + 1 + 3 + 2)
    expect((await textsOf(c, space)).sort()).toEqual((await textsOf(a, space)).sort())
  }, 150_000)

  it('find each other by bootstrap addresses alone and relay entries through the bootstrap node', async () => {
    const hub = await daemon(tempHome())
    const bootstrap = ['--bootstrap', hub.ready.addresses[0]]
    const left = await daemon(tempHome(), { args: bootstrap })
    const right = await daemon(tempHome(), { args: bootstrap })
    await eventually(async () => { const peers = await peersOf(hub); return [left, right].every((d) => peers.includes(d.ready.id)) }, 30_000, 'both to dial the bootstrap node')
    for (const d of [left, right]) expect(await peersOf(d)).toContain(hub.ready.id)

    const space = (await mutual(['space', 'create', 'via hub', '--open', '--home', left.home])).stdout.trim()
    for (const d of [hub, right]) expect((await mutual(['space', 'join', space, '--home', d.home])).code).toBe(0)
    await eventually(async () => Object.keys(await vectorOf(right, space)).length === 1, 20_000, 'the genesis to reach right')
    await append(left, space, 'hello from the left')
    await append(right, space, 'hello from the right')
    await eventually(async () => (await textsOf(left, space)).includes('hello from the right'), 20_000, 'right → left')
    await eventually(async () => (await textsOf(right, space)).includes('hello from the left'), 20_000, 'left → right')
    const vectors = await Promise.all([hub, left, right].map(async (d) => await vectorOf(d, space)))
    await eventually(async () => JSON.stringify(await vectorOf(hub, space)) === JSON.stringify(vectors[1]), 10_000, 'hub to agree')
    expect(vectors[2]).toEqual(vectors[1])
  }, 150_000)
})
