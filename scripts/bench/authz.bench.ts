/**
 * The cost of authorization by organization. An org with 1,000 members (credentials) and 100
 * revocations; a space granting the org's members; N `space/note` entries by 500 live members,
 * each naming the space's policy and the author's credential in refs. Measured: Log.ingest of
 * those entries into a fresh memory-store log that already holds the org and the space (the org
 * authorizers with an OrgRegistry, as the daemon runs them), one at a time with `durable: false`,
 * then one flush. Baseline in the same run: the same authors' entries of the same size in a space
 * whose genesis lets anyone write (no refs, no grant check). Goal: granted ingest at ≥ 0.5 of the
 * open rate.
 *
 * Second figure: rebuilding membership state (`orgState`) over the org's 1,102 entries, beside
 * Log.ingest of those same entries (what a node pays to receive them at all).
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

interface Node { log: Log, orgs: OrgRegistry, stop: () => Promise<void> }

async function openNode (): Promise<Node> {
  const holder: { orgs?: OrgRegistry } = {}
  const log = new Log({
    store: memoryStore(),
    registry: new RecordRegistry([...baseRecordTypes(), ...orgPackageRecordTypes()]),
    authorizers: orgAuthorizers({ orgs: () => holder.orgs })
  })
  const orgs = holder.orgs = new OrgRegistry(log)
  await log.start()
  await orgs.start()
  return { log, orgs, stop: async () => { await orgs.stop(); await log.stop() } }
}

async function ingest (node: Node, entries: SignedEntry[]): Promise<void> {
  for (const e of entries) await node.log.ingest(e.bytes, { durable: false })
  await node.log.flush()
  await node.orgs.settled()
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
  // The last REVOKED members are revoked; they never wrote, so their cutoffs are at 0.
  for (let i = MEMBERS - REVOKED; i < MEMBERS; i++) {
    orgEntries.push(await setup.log.append(founder, org, ORG_REVOKE, { credential: credentials[i].id, member: members[i].id, heads: [], reason: 'bench' }, [credentials[i].id]))
  }
  const nonce = (): Uint8Array<ArrayBuffer> => crypto.getRandomValues(new Uint8Array(16))
  const grantedGenesis = await setup.log.createSpace(founder, { kind: 'raw', name: 'granted', policy: { write: 'listed', writers: [] }, encrypted: false, nonce: nonce() })
  const policy = await setup.log.append(founder, grantedGenesis.space, SPACE_POLICY, { grants: [{ org, roles: ['member'] }], read: 'public' })
  const openGenesis = await setup.log.createSpace(founder, { kind: 'raw', name: 'open', policy: { write: 'anyone', writers: [] }, encrypted: false, nonce: nonce() })

  const granted: SignedEntry[] = []
  const open: SignedEntry[] = []
  for (let i = 0; i < N; i++) {
    const w = i % WRITERS
    const text = `note ${i} by writer ${w}`
    granted.push(await setup.log.append(members[w], grantedGenesis.space, 'space/note', { text }, [policy.id, credentials[w].id] as CID[]))
    // Same body size: the refs' bytes go into the text instead.
    open.push(await setup.log.append(members[w], openGenesis.space, 'space/note', { text: text + 'x'.repeat(2 * 38) }))
  }
  await setup.stop()
  const prefixGranted = [...orgEntries, grantedGenesis, policy]

  // A revoked member's entry must be refused: the setup is what it claims to be.
  const check = await openNode()
  await ingest(check, prefixGranted)
  if (orgState(orgEntries).cutoffs.size !== REVOKED) throw new BenchSetupError('expected one cutoff per revocation')
  await ingest(check, granted.slice(0, 10))
  if (Object.keys(check.log.vector(grantedGenesis.space)).length !== 11) throw new BenchSetupError('granted entries were not all taken')
  await check.stop()

  const measureIngest = async (prefix: SignedEntry[], entries: SignedEntry[]): Promise<number> => {
    const node = await openNode()
    await ingest(node, prefix)
    const ms = await time(async () => { await ingest(node, entries) })
    const held = Object.values(node.log.vector(entries[0].space)).reduce((n, v) => n + v.seq, 0)
    if (held < entries.length) throw new BenchSetupError(`only ${held} of ${entries.length} entries were taken`)
    await node.stop()
    return perSecond(entries.length, ms)
  }

  const samples = await compare({
    rounds: rounds(5),
    baseline: async () => await measureIngest([openGenesis], open),
    measured: { granted: async () => await measureIngest(prefixGranted, granted) }
  })

  const rebuild = await compare({
    rounds: rounds(5),
    baseline: async () => {
      const node = await openNode()
      const ms = await time(async () => { await ingest(node, orgEntries) })
      await node.stop()
      return ms
    },
    measured: { state: async () => await time(() => orgState(orgEntries)) }
  })

  const params = { entries: N, members: MEMBERS, revocations: REVOKED, writers: WRITERS, store: 'memory' }
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
      baselineName: 'Log.ingest of the same org entries into a fresh log',
      baselineUnit: 'ms',
      params: { orgEntries: orgEntries.length, members: MEMBERS, revocations: REVOKED },
      values: rebuild.measured.state,
      baselines: rebuild.baseline
    })
  ]
}
