/**
 * The cost of authorization by organization. An org with 1,000 members (credentials) and 100
 * revocations; a space granting the org's members; N `space/note` entries, one by each revoked
 * member, spread through the stream (signed while the credential held, so only the revocation
 * refuses them; one each, so every one meets the revocation rather than a missing predecessor),
 * and the rest by 500 live members, each naming the space's policy and the author's credential in refs.
 * Measured: Log.ingest of those entries into a fresh memory-store log that already holds the org
 * (revocations included) and the space (the org authorizers with an OrgRegistry, as the daemon
 * runs them), one at a time with `durable: false`, then one flush; every revoked member's entry
 * must be refused. Baseline in the same run: as many entries by the same authors, of the same
 * size, in a space whose genesis lets anyone write (no refs, no grant check). Goal: granted ingest
 * at ≥ 0.5 of the open rate.
 *
 * Second figure: what keeping membership state costs a node receiving the org's 1,102 entries:
 * Log.ingest of them with the org authorizers and an OrgRegistry (as the daemon runs), beside
 * Log.ingest of the same entries into a log with neither (the org space's own genesis policy
 * alone lets the founder write).
 */
import { Log, memoryStore } from '@mutual/log'
import { CID, RecordRegistry, baseRecordTypes, generateIdentity, type Identity, type SignedEntry } from '@mutual/protocol'
// The root package does not depend on @mutual/org; its build output is imported by path.
import {
  ORG_CREDENTIAL, ORG_REVOKE, OrgRegistry, SPACE_POLICY, createOrg, orgAuthorizers, orgPackageRecordTypes, orgState
} from '@mutual/org'
import { BenchSetupError, compare, perSecond, result, rounds, time, type BenchResult } from './lib.ts'

const N = Number(process.env.BENCH_N ?? 10_000)
const MEMBERS = 1_000
const REVOKED = 100
const WRITERS = 500
/** spacing of the revoked members' entries: each of them writes once, so each meets the revocation */
const REVOKED_EVERY = Math.max(1, Math.floor(N / REVOKED))

interface Node { log: Log, orgs?: OrgRegistry, stop: () => Promise<void> }

async function openNode (options: { orgs?: boolean } = {}): Promise<Node> {
  const holder: { orgs?: OrgRegistry } = {}
  const log = new Log({
    store: memoryStore(),
    registry: new RecordRegistry([...baseRecordTypes(), ...orgPackageRecordTypes()]),
    authorizers: options.orgs === false ? [] : orgAuthorizers({ orgs: () => holder.orgs })
  })
  const orgs = options.orgs === false ? undefined : holder.orgs = new OrgRegistry(log)
  await log.start()
  await orgs?.start()
  return { log, orgs, stop: async () => { await orgs?.stop(); await log.stop() } }
}

/** Ingests one at a time, then flushes; resolves to how many were refused as revoked. */
async function ingest (node: Node, entries: SignedEntry[]): Promise<number> {
  let refused = 0
  for (const e of entries) {
    try {
      await node.log.ingest(e.bytes, { durable: false })
    } catch (err) {
      if ((err as Error).name !== 'RevokedError' && (err as Error).name !== 'FrozenLogError') throw err
      refused++
    }
  }
  await node.log.flush()
  await node.orgs?.settled()
  return refused
}

export default async function authz (): Promise<BenchResult[]> {
  // --- setup: sign everything once --------------------------------------------------------
  const setup = await openNode()
  const founder = await generateIdentity()
  const members: Identity[] = await Promise.all(Array.from({ length: MEMBERS }, async () => await generateIdentity()))
  const orgEntries: SignedEntry[] = []
  const genesis = await createOrg(setup.log, founder, 'Bench org')
  const org = genesis.space
  orgEntries.push(genesis)
  const credentials: SignedEntry[] = []
  for (const m of members) credentials.push(await setup.log.append(founder, org, ORG_CREDENTIAL, { member: m.id, roles: ['member'], kind: 'person' }))
  orgEntries.push(...credentials)
  const nonce = (): Uint8Array<ArrayBuffer> => crypto.getRandomValues(new Uint8Array(16))
  const grantedGenesis = await setup.log.createSpace(founder, { kind: 'raw', name: 'granted', policy: { write: 'listed', writers: [] }, encrypted: false, nonce: nonce() })
  const policy = await setup.log.append(founder, grantedGenesis.space, SPACE_POLICY, { grants: [{ org, roles: ['member'] }], read: 'public' })
  const openGenesis = await setup.log.createSpace(founder, { kind: 'raw', name: 'open', policy: { write: 'anyone', writers: [] }, encrypted: false, nonce: nonce() })

  const granted: SignedEntry[] = []
  const open: SignedEntry[] = []
  let revokedWrites = 0
  for (let i = 0; i < N; i++) {
    // Spread through the stream, one entry by each of the last REVOKED members, signed while still a member.
    const revoked = i % REVOKED_EVERY === REVOKED_EVERY - 1 && revokedWrites < REVOKED
    const w = revoked ? MEMBERS - REVOKED + (revokedWrites++ % REVOKED) : i % WRITERS
    const text = `note ${i} by writer ${w}`
    granted.push(await setup.log.append(members[w], grantedGenesis.space, 'space/note', { text }, [policy.id, credentials[w].id] as CID[]))
    // Same body size: the refs' bytes go into the text instead.
    open.push(await setup.log.append(members[w], openGenesis.space, 'space/note', { text: text + 'x'.repeat(2 * 38) }))
  }
  // Now the last REVOKED members are revoked, as their admin saw them: before any of their notes
  // (heads: []), so every one of those notes is refused wherever the revocation is held.
  for (let i = MEMBERS - REVOKED; i < MEMBERS; i++) {
    orgEntries.push(await setup.log.append(founder, org, ORG_REVOKE, { credential: credentials[i].id, member: members[i].id, heads: [], reason: 'bench' }, [credentials[i].id]))
  }
  await setup.stop()
  const prefixGranted = [...orgEntries, grantedGenesis, policy]

  // The setup is what it claims to be: one cutoff per revocation, live members' entries taken.
  const check = await openNode()
  await ingest(check, prefixGranted)
  if (orgState(orgEntries).cutoffs.size !== REVOKED) throw new BenchSetupError('expected one cutoff per revocation')
  await ingest(check, granted.slice(0, 9))
  if (Object.keys(check.log.vector(grantedGenesis.space)).length !== 10) throw new BenchSetupError('granted entries were not all taken')
  await check.stop()

  const measureIngest = async (prefix: SignedEntry[], entries: SignedEntry[], refusals: number): Promise<number> => {
    const node = await openNode()
    await ingest(node, prefix)
    let refused = 0
    const ms = await time(async () => { refused = await ingest(node, entries) })
    const held = Object.values(node.log.vector(entries[0].space)).reduce((n, v) => n + v.seq, 0)
    if (refused !== refusals) throw new BenchSetupError(`${refused} entries refused as revoked, not ${refusals}`)
    if (held < entries.length - refusals) throw new BenchSetupError(`only ${held} of ${entries.length - refusals} entries were taken`)
    await node.stop()
    return perSecond(entries.length, ms)
  }

  const samples = await compare({
    rounds: rounds(5),
    baseline: async () => await measureIngest([openGenesis], open, 0),
    measured: { granted: async () => await measureIngest(prefixGranted, granted, revokedWrites) }
  })

  const ingestOrg = async (orgs: boolean): Promise<number> => {
    const node = await openNode({ orgs })
    const ms = await time(async () => { await ingest(node, orgEntries) })
    if (node.log.vector(org)[founder.id]?.seq !== orgEntries.length) throw new BenchSetupError('the org entries were not all taken')
    await node.stop()
    return ms
  }
  const rebuild = await compare({
    rounds: rounds(5),
    baseline: async () => await ingestOrg(false),
    measured: { state: async () => await ingestOrg(true) }
  })

  const params = { entries: N, revokedWrites, members: MEMBERS, revocations: REVOKED, writers: WRITERS, store: 'memory' }
  return [
    result({
      name: 'authz-ingest',
      unit: 'entries/s',
      baselineName: 'Log.ingest of same-size entries in a write-anyone space (no authorization)',
      baselineUnit: 'entries/s',
      goal: '>= 0.5',
      params,
      values: samples.measured.granted,
      baselines: samples.baseline
    }),
    result({
      name: 'authz-org-state',
      unit: 'ms',
      baselineName: 'Log.ingest of the same org entries with no org authorizer or registry',
      baselineUnit: 'ms',
      params: { orgEntries: orgEntries.length, members: MEMBERS, revocations: REVOKED },
      values: rebuild.measured.state,
      baselines: rebuild.baseline
    })
  ]
}
