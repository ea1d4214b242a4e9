import { afterEach, describe, expect, it } from 'vitest'
import type { GossipSub } from '@libp2p/gossipsub'
import { topicOf } from '@mutual/node'
import { eventually, openSpace, startPeer, type TestPeer } from './helpers.js'

const peers: TestPeer[] = []
afterEach(async () => {
  await Promise.all(peers.splice(0).map(async (p) => { await p.stop() }))
})

describe('a space that may not travel on its topic', () => {
  it('reaches a reader by sync alone, never on the gossip topic, while others still gossip', async () => {
    let secret = ''
    const gossipable = (space: string): boolean => space !== secret
    const writer = await startPeer({ gossipable })
    const reader = await startPeer({ gossipable })
    const listener = await startPeer()
    peers.push(writer, reader, listener)
    const hidden = await writer.log.createSpace(writer.identity, openSpace())
    secret = hidden.space
    const open = await writer.log.createSpace(writer.identity, openSpace())
    for (const p of [reader, listener]) {
      await p.node.join(hidden.space)
      await p.node.join(open.space)
    }
    // The listener records every frame on both topics.
    const heard = new Map<string, number>([[hidden.space, 0], [open.space, 0]])
    const validators = (listener.node.libp2p.services.pubsub as GossipSub).topicValidators
    for (const space of [hidden.space, open.space]) {
      const original = validators.get(topicOf(space))!
      validators.set(topicOf(space), async (peer, message) => {
        heard.set(space, heard.get(space)! + 1)
        return await original(peer, message)
      })
    }
    for (const p of [reader, listener]) await p.node.connect(writer.node.addresses()[0])
    const pubsub = writer.node.libp2p.services.pubsub as GossipSub
    await eventually(() => pubsub.getSubscribers(topicOf(open.space)).length === 2 && pubsub.getSubscribers(topicOf(hidden.space)).length === 2, 10_000, 'both subscribed')
    // The writer knowing their subscriptions is not enough: its own gossip stream to the listener
    // may not be open yet, and a message published before it is dropped. The listener hearing the
    // writer's subscription proves that stream carries frames.
    const listening = listener.node.libp2p.services.pubsub as GossipSub
    await eventually(() => listening.getSubscribers(topicOf(open.space)).some((p) => p.toString() === writer.identity.id), 10_000, 'the writer\'s gossip stream to the listener')

    const hiddenEntry = await writer.log.append(writer.identity, hidden.space, 'space/note', { text: 'not on the topic' })
    const openEntry = await writer.log.append(writer.identity, open.space, 'space/note', { text: 'on the topic' })
    await eventually(async () => (await reader.log.getById(hiddenEntry.id.toString())) !== undefined, 10_000, 'the hidden entry by sync')
    await eventually(() => heard.get(open.space)! > 0, 10_000, 'the open entry on its topic')
    expect(await listener.log.getById(openEntry.id.toString())).toBeDefined()
    expect(heard.get(hidden.space)).toBe(0)
  })
})
