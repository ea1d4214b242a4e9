/**
 * @packageDocumentation
 * Mutual's libp2p node: gossip per space (`/mutual/1/space/<id>`), the `/mutual/sync/1.0.0`
 * catch-up protocol, discovery (mDNS, bootstrap, Kademlia), NAT traversal on request, a block
 * list and connection limits.
 */
export { createMutualNode } from './node.js'
export type { AddressReachability, MutualNode, MutualNodeInit, MutualNodeEvent, PeerInfo } from './types.js'
export { topicOf, entryMessageId, SPACE_TOPIC_SCORE } from './gossip.js'
export { isOversizeFrame } from './frame-guard.js'
export { SYNC_PROTOCOL, syncService, type SyncService, type SyncServiceInit } from './sync/service.js'
export { SyncSession, type SyncSessionInit, type SyncStats } from './sync/session.js'
export { type SyncMessage, type SyncLimits, readSyncMessage, writeSyncMessage, DEFAULT_SYNC_LIMITS } from './sync/messages.js'
export * from './errors.js'
export { addressScope, byReach, type AddressScope } from './address-scope.js'
