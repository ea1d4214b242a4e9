import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT, buildOnce, cleanup, mutual, startDaemon, tempHome, type DaemonProcess } from './helpers.js'
import { eventually } from '../support/poll.js'
import { internet, type Internet } from '../support/netns.js'

/**
 * What `mutual doctor` says about reachability, from AutoNAT dial-backs by peers on distinct
 * networks: Linux network namespaces on one bridge, eight AutoNAT servers at addresses in eight
 * /8 networks (AutoNAT counts one verdict per network), and two real daemons with NAT traversal
 * on, bootstrapped to the servers: one reachable, one behind a firewall that drops inbound
 * connections. Needs root, iproute2 and nftables, as CI has: without them it fails, loudly.
 */

const SERVERS = ['11.0.0.1', '12.0.0.1', '13.0.0.1', '14.0.0.1', '15.0.0.1', '16.0.0.1', '17.0.0.1', '18.0.0.1']
const OPEN = '21.0.0.2'
const WALLED = '22.0.0.2'
/** drops connection attempts from the network; what this host dials out still works */
const FIREWALL = 'table inet firewall { chain input { type filter hook input priority 0; policy accept; iifname "eth0" tcp flags syn / syn,ack drop; }; }'

let net: Internet
let servers: ReturnType<typeof spawn>
const said: string[] = []
let addresses: string[] = []

beforeAll(async () => {
  buildOnce()
  net = internet()
  net.host('servers', SERVERS)
  net.host('open', [OPEN])
  net.host('walled', [WALLED])
  net.firewall('walled', FIREWALL)
  servers = spawn('ip', ['netns', 'exec', net.ns('servers'), process.execPath, 'test/support/autonat-servers.ts', ...SERVERS], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] })
  createInterface({ input: servers.stdout! }).on('line', (line) => { said.push(line) })
  await eventually(() => said.length > 0, 30_000, 'the AutoNAT servers to start')
  addresses = (JSON.parse(said[0]) as { addresses: string[] }).addresses
}, 120_000)

afterAll(() => {
  // Closing their stdin stops the servers; the namespaces go with whatever is left in them.
  servers?.stdin?.end()
  cleanup()
  net?.remove()
})

async function daemonAt (host: string): Promise<DaemonProcess> {
  return await startDaemon(tempHome(), { netns: net.ns(host), config: { nat: true, mdns: false, bootstrap: addresses }, args: ['--listen', '/ip4/0.0.0.0/tcp/4001'] })
}

async function doctor (d: DaemonProcess, host: string): Promise<{ code: number | null, checks: Array<{ name: string, ok: boolean, detail: string }> }> {
  const result = await mutual(['doctor', '--json', '--home', d.home], { netns: net.ns(host) })
  return { code: result.code, checks: (JSON.parse(result.stdout) as { checks: Array<{ name: string, ok: boolean, detail: string }> }).checks }
}

/** Whether a server can open a new connection to `address`. */
async function serverReaches (address: string): Promise<boolean> {
  const before = said.length
  servers.stdin!.write(`dial ${address}\n`)
  await eventually(() => said.slice(before).some((l) => l.includes(address)), 30_000, `the servers to dial ${address}`)
  return (JSON.parse(said.slice(before).find((l) => l.includes(address))!) as { reached: boolean }).reached
}

describe('reachability through AutoNAT', () => {
  it('a node the others can dial is confirmed at its public address, and doctor says so', async () => {
    const d = await daemonAt('open')
    const address = `/ip4/${OPEN}/tcp/4001/p2p/${d.ready.id}`
    let checks: Array<{ name: string, ok: boolean, detail: string }> = []
    await eventually(async () => {
      checks = (await doctor(d, 'open')).checks
      return checks.find((c) => c.name === 'nat')?.detail.includes('dialled back') === true
    }, 60_000, 'AutoNAT to confirm the open node\'s address')
    expect(checks.find((c) => c.name === 'nat')).toEqual({ name: 'nat', ok: true, detail: `AutoNAT, relay and hole punching on; peers dialled back /ip4/${OPEN}/tcp/4001; no relay reservation yet` })
    // Confirmed, the address is announced: others are told to dial it.
    expect(checks.find((c) => c.name === 'public-address')).toEqual({ name: 'public-address', ok: true, detail: `reachable from the internet at ${address}` })
    expect(await serverReaches(address)).toBe(true)
    expect(await d.stop()).toBe(0)
  }, 90_000)

  it('a node behind a firewall is reported unreachable: doctor warns and exits 1', async () => {
    const d = await daemonAt('walled')
    let result = { code: null as number | null, checks: [] as Array<{ name: string, ok: boolean, detail: string }> }
    await eventually(async () => {
      result = await doctor(d, 'walled')
      return result.checks.find((c) => c.name === 'nat')?.ok === false
    }, 60_000, 'AutoNAT to give up on the walled node\'s address')
    expect(result.checks.find((c) => c.name === 'nat')?.detail).toBe(`AutoNAT, relay and hole punching on; peers on other networks could not dial back /ip4/${WALLED}/tcp/4001: a firewall or NAT blocks inbound connections (open the port, or rely on relays); no relay reservation yet`)
    expect(result.checks.find((c) => c.name === 'public-address')?.ok).toBe(false)
    // It does listen there: doctor does not send the user to change "listen".
    expect(result.checks.find((c) => c.name === 'listen')).toMatchObject({ ok: true, detail: expect.stringContaining(`and on /ip4/${WALLED}/tcp/4001 (not announced: AutoNAT has not confirmed it)`) })
    expect(result.code).toBe(1)
    // The node itself dials out fine: every server is connected.
    expect(result.checks.find((c) => c.name === 'bootstrap')).toMatchObject({ ok: true, detail: `${SERVERS.length} of ${SERVERS.length} bootstrap peers connected` })
    // The firewall is what keeps the others out.
    expect(await serverReaches(`/ip4/${WALLED}/tcp/4001/p2p/${d.ready.id}`)).toBe(false)
    expect(await d.stop()).toBe(0)
  }, 90_000)
})
