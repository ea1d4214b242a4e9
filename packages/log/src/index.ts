/**
 * @packageDocumentation
 * Mutual's one replication primitive: spaces of per-author signed, hash-linked logs. Append and
 * ingest share one validation path; version vectors say what a node holds and `missing` what a
 * peer lacks; equivocations are kept as fork proofs and freeze the author's log. Two stores
 * (level and memory) sit behind one interface.
 */
export { Log, type LogInit, type IngestResult, type IngestStatus, type IngestOptions, type MissingReport, type LogEvent, type LogListener } from './log.js'
export type { EntryStore, StoreBatch, StoredEntry, HeadRecord, ForkRecord, EntryLocation } from './store.js'
export { memoryStore } from './memory-store.js'
export { levelStore, type LevelStoreInit } from './level-store.js'
export { type VersionVector, type VectorEntry, type MissingRange, vectorsEqual, vectorSize } from './vector.js'
export { type Authorizer, genesisPolicy } from './authorize.js'
export * from './errors.js'
