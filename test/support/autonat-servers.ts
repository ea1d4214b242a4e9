/**
 * AutoNAT servers for the reachability test, run inside a network namespace by
 * `ip netns exec <ns> node test/support/autonat-servers.ts <ip>…`: one real Mutual node (NAT
 * traversal on, so AutoNAT answers) per address, each listening on <ip>:4001. Prints one JSON line
 * with their addresses, then takes commands on stdin, one per line:
 *   dial <multiaddr>   the first server dials it on a new connection (3 s) and prints {"dialled", "reached"}
 * Stops when stdin closes (its test ended, however) or after two minutes, whichever comes first.
 */
import { createInterface } from 'node:readline'
import { multiaddr } from '@multiformats/multiaddr'
import { generateIdentity } from '@mutual/protocol'
import { Log, memoryStore } from '@mutual/log'
import { createMutualNode, type MutualNode } from '@mutual/node'

const LIFETIME_MS = 120_000
const DIAL_TIMEOUT_MS = 3_000

const nodes: MutualNode[] = []
const ips = process.argv.slice(2)
for (const ip of ips) {
  const log = new Log({ store: memoryStore() })
  await log.start()
  const node = createMutualNode({ identity: await generateIdentity(), log, listen: [`/ip4/${ip}/tcp/4001`], mdns: false, dht: false, nat: true, syncIntervalMs: 0 })
  await node.start()
  nodes.push(node)
}
// Their own addresses are public, so unconfirmed: libp2p does not list them until AutoNAT has.
process.stdout.write(JSON.stringify({ addresses: nodes.map((n, i) => `/ip4/${ips[i]}/tcp/4001/p2p/${n.id}`) }) + '\n')

let stopping = false
async function stop (): Promise<void> {
  if (stopping) return
  stopping = true
  await Promise.all(nodes.map(async (n) => { await n.stop() }))
  process.exit(0)
}
setTimeout(() => { void stop() }, LIFETIME_MS).unref()

const lines = createInterface({ input: process.stdin })
lines.on('close', () => { void stop() })
lines.on('line', (line) => {
  const [command, target] = line.trim().split(/\s+/)
  if (command !== 'dial' || target === undefined) {
    process.stdout.write(JSON.stringify({ error: `unknown command: ${line}` }) + '\n')
    return
  }
  // A connection of its own (as AutoNAT's dial-back makes), not one the target opened.
  nodes[0].libp2p.dial(multiaddr(target), { force: true, signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) }).then(
    async (connection) => { await connection.close(); return true },
    () => false
  ).then((reached) => {
    process.stdout.write(JSON.stringify({ dialled: target, reached }) + '\n')
  }, (err: Error) => {
    process.stdout.write(JSON.stringify({ dialled: target, error: err.message }) + '\n')
  })
})
