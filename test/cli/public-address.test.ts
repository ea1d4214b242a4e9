import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeTicket } from '@mutual/daemon'
import { buildOnce, cleanup, mutual, startDaemon, tempHome, type DaemonProcess } from './helpers.js'
import { internet, type Internet } from '../support/netns.js'

/**
 * Which addresses a daemon hands out (`mutual id`, `status`, invite tickets) when it listens on a
 * public address: real daemons in Linux network namespaces on one bridge, at public-looking
 * addresses, with no AutoNAT server anywhere. With NAT traversal off (the default) the listen
 * address is announced as configured; with it on, an address in "announce" is. A joiner in
 * another namespace redeems a ticket by dialing the address it carries. Needs root, iproute2 and
 * nftables, as CI has: without them it fails, loudly.
 */

const SEED = '31.0.0.2'
const JOINER = '32.0.0.2'
const ANNOUNCED = '33.0.0.2'

let net: Internet

beforeAll(() => {
  buildOnce()
  net = internet()
  net.host('seed', [SEED])
  net.host('joiner', [JOINER])
  net.host('announced', [ANNOUNCED])
}, 120_000)

afterAll(() => {
  cleanup()
  net?.remove()
})

async function cli<T = any> (d: DaemonProcess, host: string, args: string[]): Promise<T> {
  const result = await mutual([...args, '--json', '--home', d.home], { netns: net.ns(host) })
  if (result.code !== 0) throw new Error(`mutual ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
  return JSON.parse(result.stdout) as T
}

/** `mutual doctor`'s checks: it exits 1 here, warning that no peer is connected yet. */
async function doctor (d: DaemonProcess, host: string): Promise<Array<{ name: string, ok: boolean, detail: string }>> {
  const result = await mutual(['doctor', '--json', '--home', d.home], { netns: net.ns(host) })
  const { checks } = JSON.parse(result.stdout) as { checks: Array<{ name: string, ok: boolean, detail: string }> }
  expect(checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['peers'])
  expect(result.code).toBe(1)
  return checks
}

/** Makes a board at `inviter` and invites a writer; a fresh daemon on the joiner's host redeems the ticket. */
async function inviteAndJoin (inviter: DaemonProcess, host: string): Promise<{ ticket: string[], joined: any, peers: Array<{ id: string, addresses: string[] }> }> {
  const { board } = await cli(inviter, host, ['board', 'create', 'Launch', '--personal'])
  const { ticket } = await cli<{ ticket: string }>(inviter, host, ['board', 'invite', board])
  // The joiner knows of the inviter only through the ticket: no mDNS, no bootstrap, no DHT peers.
  const joiner = await startDaemon(tempHome(), { netns: net.ns('joiner'), config: { mdns: false }, args: ['--listen', `/ip4/${JOINER}/tcp/4001`] })
  try {
    const joined = await cli(joiner, 'joiner', ['join', ticket])
    expect(joined).toMatchObject({ kind: 'board', board })
    const { peers } = await cli<{ peers: Array<{ id: string, addresses: string[] }> }>(joiner, 'joiner', ['peers'])
    return { ticket: decodeTicket(ticket).addrs, joined, peers }
  } finally {
    expect(await joiner.stop()).toBe(0)
  }
}

describe('public addresses handed out', () => {
  it('with nat off, a daemon listening on a public address announces it: id, status, doctor, and a ticket a joiner elsewhere redeems there', async () => {
    const seed = await startDaemon(tempHome(), { netns: net.ns('seed'), config: { mdns: false }, args: ['--listen', `/ip4/${SEED}/tcp/4001`] })
    const address = `/ip4/${SEED}/tcp/4001/p2p/${seed.ready.id}`
    expect(seed.ready.addresses).toContain(address)
    expect((await cli(seed, 'seed', ['id'])).addresses).toContain(address)
    expect((await cli(seed, 'seed', ['status'])).addresses).toContain(address)
    const checks = await doctor(seed, 'seed')
    expect(checks.find((c) => c.name === 'public-address')).toEqual({ name: 'public-address', ok: true, detail: `reachable from the internet at ${address}` })

    const { ticket, peers } = await inviteAndJoin(seed, 'seed')
    // Public first: the joiner dials it before the loopback address, which is of no use elsewhere.
    expect(ticket[0]).toBe(address)
    expect(peers.find((p) => p.id === seed.ready.id)?.addresses).toContainEqual(expect.stringMatching(new RegExp(`^/ip4/${SEED}/tcp/4001(/|$)`)))
    expect(await seed.stop()).toBe(0)
  }, 90_000)

  it('with nat on and no AutoNAT peer to confirm it, an address in "announce" is announced all the same, and a joiner reaches it', async () => {
    const d = await startDaemon(tempHome(), { netns: net.ns('announced'), config: { mdns: false, nat: true, announce: [`/ip4/${ANNOUNCED}/tcp/4001`] }, args: ['--listen', '/ip4/0.0.0.0/tcp/4001'] })
    const address = `/ip4/${ANNOUNCED}/tcp/4001/p2p/${d.ready.id}`
    expect((await cli(d, 'announced', ['id'])).addresses).toContain(address)
    expect((await cli(d, 'announced', ['status'])).addresses).toContain(address)
    const checks = await doctor(d, 'announced')
    expect(checks.find((c) => c.name === 'public-address')).toEqual({ name: 'public-address', ok: true, detail: `reachable from the internet at ${address}` })
    // Announced, so doctor does not call it unannounced; AutoNAT has not checked it, and says so.
    expect(checks.find((c) => c.name === 'listen')?.detail).not.toContain('not announced')
    expect(checks.find((c) => c.name === 'nat')?.detail).toContain(`/ip4/${ANNOUNCED}/tcp/4001 not checked yet`)

    const { ticket, peers } = await inviteAndJoin(d, 'announced')
    expect(ticket[0]).toBe(address)
    expect(peers.find((p) => p.id === d.ready.id)?.addresses).toContainEqual(expect.stringMatching(new RegExp(`^/ip4/${ANNOUNCED}/tcp/4001(/|$)`)))
    expect(await d.stop()).toBe(0)
  }, 90_000)

  it('refuses an "announce" address that is not a multiaddr, naming it (exit 2)', async () => {
    const result = await mutual(['daemon', '--home', tempHome(), '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0', '--api', '127.0.0.1:0', '--announce', '203.0.113.7:4001'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/option --announce \(announce\.0\): "203\.0\.113\.7:4001" not a multiaddr.*ConfigError/)
  }, 30_000)
})
