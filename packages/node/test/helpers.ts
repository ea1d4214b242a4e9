import { generateIdentity, type GenesisBody, type Identity } from '@mutual/protocol'
import { Log, memoryStore } from '@mutual/log'
import { createMutualNode, type MutualNode, type MutualNodeInit } from '@mutual/node'
export { eventually, never } from '../../../test/support/poll.js'

export interface TestPeer {
  identity: Identity
  log: Log
  node: MutualNode
  stop: () => Promise<void>
}

/** A real libp2p node on 127.0.0.1 over TCP, with an in-memory log, no mDNS and no DHT. */
export async function startPeer (init: Partial<MutualNodeInit> = {}): Promise<TestPeer> {
  const identity = init.identity ?? await generateIdentity()
  const log = init.log ?? new Log({ store: memoryStore() })
  await log.start()
  const node = createMutualNode({
    identity,
    log,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    mdns: false,
    dht: false,
    syncIntervalMs: 0,
    exemptLoopback: true,
    ...init
  })
  await node.start()
  return {
    identity,
    log,
    node,
    stop: async () => {
      await node.stop()
      await log.stop()
    }
  }
}

export function openSpace (): GenesisBody {
  return { kind: 'raw', name: 'test', policy: { write: 'anyone', writers: [] }, encrypted: false, nonce: crypto.getRandomValues(new Uint8Array(8)) }
}

