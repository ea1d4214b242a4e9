import { RecordRegistry, baseRecordTypes, generateIdentity, schemas, type Identity, type RecordType, type SignedEntry } from '@mutual/protocol'
import { Log, memoryStore, type EntryStore } from '@mutual/log'
import { z } from 'zod'
import { OrgRegistry, orgAuthorizers, orgPackageRecordTypes, type RateLimits } from '@mutual/org'

/** A wall clock the test moves by hand, shared by every node that uses it. */
export class Clock {
  constructor (public ms = 1_700_000_000_000) {}
  readonly now = (): number => this.ms
  advance (ms: number): void {
    this.ms += ms
  }
}

/** A stand-in for the ledger's feedback record, to exercise the consumer row of ROLE_WRITES. */
const feedback: RecordType = { type: 'contrib/feedback', schema: z.strictObject({ task: schemas.text(64), satisfaction: z.number().int().min(1).max(5) }), maxEntryBytes: 4096 }

export function records (): RecordRegistry {
  return new RecordRegistry([...baseRecordTypes(), ...orgPackageRecordTypes(), feedback])
}

export interface Node {
  log: Log
  orgs: OrgRegistry
  stop: () => Promise<void>
}

/** A log with every org authorizer and its registry, on a memory store. */
export async function openNode (clock: Clock, init: { store?: EntryStore, now?: () => number, limits?: RateLimits } = {}): Promise<Node> {
  // The registry is made after the log it watches; the authorizers reach it through a getter.
  const holder: { orgs?: OrgRegistry } = {}
  const log = new Log({
    store: init.store ?? memoryStore(),
    registry: records(),
    authorizers: orgAuthorizers({ orgs: () => holder.orgs, ...(init.limits !== undefined ? { limits: init.limits } : {}) }),
    now: init.now ?? clock.now
  })
  const orgs = holder.orgs = new OrgRegistry(log, init.limits !== undefined ? { windowMs: init.limits.windowMs } : {})
  await log.start()
  await orgs.start()
  return { log, orgs, stop: async () => { await orgs.stop(); await log.stop() } }
}

export async function identities (n: number): Promise<Identity[]> {
  return await Promise.all(Array.from({ length: n }, async () => await generateIdentity()))
}

/** Every entry a log holds, space by space (genesis author first), each author's in seq order. */
export async function allEntries (log: Log): Promise<SignedEntry[]> {
  const out: SignedEntry[] = []
  for (const space of log.spaces()) {
    const genesis = log.genesis(space)
    const authors = Object.keys(log.vector(space)).sort((a, b) => Number(b === genesis?.entry.author) - Number(a === genesis?.entry.author))
    for (const author of authors) for await (const e of log.entries(space, author)) out.push(e)
  }
  return out
}

/** Ingests entries into a node; returns the error name per entry id (undefined when taken or held). */
export async function ingestAll (node: Node, entries: SignedEntry[]): Promise<Map<string, string | undefined>> {
  const out = new Map<string, string | undefined>()
  for (const e of entries) {
    try {
      await node.log.ingest(e.bytes)
      out.set(e.id.toString(), undefined)
    } catch (err) {
      out.set(e.id.toString(), (err as Error).name)
    }
  }
  await node.log.flush()
  await node.orgs.settled()
  await node.log.flush()
  return out
}

/** Copies everything one node holds into another. */
export async function replicate (from: Node, to: Node): Promise<Map<string, string | undefined>> {
  return await ingestAll(to, await allEntries(from.log))
}

/** The ids of every entry a log holds (the entries that count), sorted. */
export async function heldIds (log: Log): Promise<string[]> {
  return (await allEntries(log)).map((e) => e.id.toString()).sort()
}
