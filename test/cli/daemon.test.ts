import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { buildOnce, cleanup, mutual, mutualJson, startDaemon, tempHome } from './helpers.js'

// The daemon's life as the CLI shows it: ready output, the lock, signals, and two daemons talking.

beforeAll(() => {
  buildOnce()
}, 120_000)

afterAll(cleanup)

describe('mutual daemon', () => {
  it('--json prints one ready line; a second daemon exits 5; SIGTERM stops it cleanly', async () => {
    const home = tempHome()
    const daemon = await startDaemon(home, { json: true })
    expect(daemon.ready.id).toMatch(/^12D3KooW/)
    expect(daemon.ready.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(daemon.ready.addresses[0]).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/12D3KooW/)
    expect(existsSync(join(home, 'api'))).toBe(true)

    const second = await mutual(['daemon', '--home', home, '--listen', '/ip4/127.0.0.1/tcp/0', '--api', '127.0.0.1:0', '--no-mdns'])
    expect(second.code).toBe(5)
    expect(second.stdout).toBe('')
    expect(second.stderr).toContain(`pid ${daemon.child.pid}`)
    expect(second.stderr).toContain(daemon.ready.api)

    expect(await daemon.stop()).toBe(0)
    expect(existsSync(join(home, 'api'))).toBe(false)
    const after = await mutual(['status', '--home', home])
    expect(after.code).toBe(3)

    // The same home starts again with the same identity.
    const again = await startDaemon(home, { json: true })
    expect(again.ready.id).toBe(daemon.ready.id)
    expect(await again.stop('SIGINT')).toBe(0)
  })

  it('bad daemon options exit 2', async () => {
    const result = await mutual(['daemon', '--home', tempHome(), '--api', 'not-an-address', '--no-mdns'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/api/)
  })
})

describe('two daemons', () => {
  it('connect, peers, and a space replicated by join', async () => {
    const a = await startDaemon(tempHome())
    const b = await startDaemon(tempHome(), { json: true })
    try {
      const connected = await mutual(['connect', a.ready.addresses[0], '--home', b.home])
      expect(connected.code).toBe(0)
      expect(connected.stdout).toBe(`${a.ready.id}\n`)
      expect(connected.stderr).toMatch(/connected to/)

      const peers = await mutualJson(['peers', '--home', b.home])
      expect(peers.peers.map((p: { id: string }) => p.id)).toContain(a.ready.id)
      const human = await mutual(['peers', '--home', b.home])
      expect(human.stdout.split('\n')[0]).toMatch(/^PEER\s+DIRECTION\s+LATENCY\s+SCORE\s+ADDRESS$/)
      expect(human.stdout).toMatch(new RegExp(`^${a.ready.id}\\s+outbound\\s`, 'm'))

      const space = (await mutual(['space', 'create', 'shared notes', '--home', a.home])).stdout.trim()
      expect((await mutual(['space', 'append', space, 'from a', '--home', a.home])).code).toBe(0)
      expect((await mutual(['space', 'join', space, '--home', b.home])).code).toBe(0)

      let entries: unknown[] = []
      for (let i = 0; i < 50 && entries.length < 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200))
        const result = await mutual(['space', 'entries', space, '--home', b.home, '--json'])
        if (result.code === 0) entries = JSON.parse(result.stdout).entries
      }
      expect(entries).toHaveLength(2)
    } finally {
      expect(await b.stop()).toBe(0)
      expect(await a.stop()).toBe(0)
    }
  })
})
