import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CID, RecordRegistry, baseRecordTypes, generateIdentity, signEntry, type Identity, type SignedEntry, type Stamp } from '@mutual/protocol'
import { Log, memoryStore } from '@mutual/log'
import { createMutualNode, type MutualNode } from '@mutual/node'
import { boardAuthorizer, boardRecordTypes } from '@mutual/board'
import {
  OrgRegistry, SpaceKeyring, TASK_ACCEPT, TASK_ANNOUNCE, TASK_APPLY, TASK_DECLINE, acceptFederation, appendEncrypted, createFederation,
  createGrantedSpace, createOrg, grantRefs, issueCredential, marketView, newEpoch, orgAuthorizers, orgPackageRecordTypes, revokeCredential,
  rotate, spaceEntriesOf, SPACE_KEY, federationState, mayReadSpace
} from '@mutual/org'
import { eventually as poll, never } from './support/poll.js'

/**
 * Organizations, federation, read access, revocation and the market, across real libp2p nodes
 * over TCP on loopback. Each node is wired as the daemon wires it: a log with the org
 * authorizers (boards fall back to their own rule), an OrgRegistry, and read authorization from
 * the space's policy.
 */

interface Peer {
  name: string
  identity: Identity
  log: Log
  orgs: OrgRegistry
  node: MutualNode
}

const peers: Peer[] = []
afterAll(async () => {
  for (const p of peers.splice(0)) {
    await p.node.stop().catch(() => {})
    await p.orgs.stop().catch(() => {})
    await p.log.stop().catch(() => {})
  }
})

async function startPeer (name: string, identity?: Identity): Promise<Peer> {
  const id = identity ?? await generateIdentity()
  const holder: { orgs?: OrgRegistry } = {}
  const log = new Log({
    store: memoryStore(),
    registry: new RecordRegistry([...baseRecordTypes(), ...boardRecordTypes(), ...orgPackageRecordTypes()]),
    authorizers: orgAuthorizers({ orgs: () => holder.orgs, fallback: boardAuthorizer() })
  })
  const orgs = holder.orgs = new OrgRegistry(log)
  await log.start()
  await orgs.start()
  const registry = orgs
  const node = createMutualNode({
    identity: id,
    log,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    mdns: false,
    dht: false,
    syncIntervalMs: 0,
    exemptLoopback: true,
    mayRead: (peer, space) => mayReadSpace(registry, (s) => log.genesis(s)?.entry.author, peer, space)
  })
  await node.start()
  const peer = { name, identity: id, log, orgs, node }
  peers.push(peer)
  return peer
}

const eventually = async (check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> => { await poll(check, timeoutMs, what) }

const holds = async (p: Peer, e: SignedEntry): Promise<boolean> => (await p.log.getById(e.id.toString())) !== undefined

async function everyoneHolds (group: Peer[], e: SignedEntry, what: string): Promise<void> {
  for (const p of group) await eventually(async () => await holds(p, e), `${p.name} to hold ${what}`)
}

async function joinAll (group: Peer[], space: string): Promise<void> {
  for (const p of group) await p.node.join(space)
}

/** A Yjs update adding one task whose title is `title`. */
function update (title: string): { update: Uint8Array } {
  const doc = new Y.Doc()
  const task = new Y.Map<unknown>()
  doc.getMap('tasks').set(crypto.randomUUID(), task)
  task.set('title', title)
  return { update: Y.encodeStateAsUpdate(doc) }
}

/** Signs an entry directly (bypassing the local log's checks), extending the author's chain in `log`; `ts` may be forged. */
function forge (log: Log, author: Identity, space: string, type: string, body: unknown, refs: CID[], ts?: Stamp): SignedEntry {
  const head = log.head(space, author.id)
  return signEntry(author, {
    v: 1,
    space: CID.parse(space),
    author: author.id,
    seq: (head?.seq ?? 0) + 1,
    prev: head === undefined ? null : CID.parse(head.head),
    ts: ts ?? [Date.now(), 0],
    type,
    body,
    refs
  } as any)
}

/** Ingests into every peer's log; returns each peer's error name (undefined if it was taken). */
async function verdicts (group: Peer[], e: SignedEntry): Promise<Array<string | undefined>> {
  const out: Array<string | undefined> = []
  for (const p of group) {
    try {
      const { status } = await p.log.ingest(e.bytes)
      out.push(status === 'added' ? undefined : `status:${status}`)
    } catch (err) {
      out.push((err as Error).name)
    }
  }
  return out
}

function contains (haystack: Uint8Array, needle: string): boolean {
  return Buffer.from(haystack).includes(Buffer.from(needle))
}

describe('organizations and federation across a live network', () => {
  it('federates two orgs, enforces grants, read access, revocation and the market on every node', async () => {
    const [aMember2, aRep, aConsumer] = await Promise.all([generateIdentity(), generateIdentity(), generateIdentity()])

    const nA = await startPeer('adminA')
    const nA1 = await startPeer('memberA1')
    const nB = await startPeer('adminB')
    const nB1 = await startPeer('memberB1')
    const nAud = await startPeer('auditor')
    const nOut = await startPeer('outsider')
    const nRelay = await startPeer('relay (no credential)')
    const nEve = await startPeer('eavesdropper')
    const nW = await startPeer('outside worker')
    // A hub and spokes; member B1 reaches the rest only through the relay, which holds no credential.
    for (const p of [nA1, nB, nAud, nOut, nRelay, nEve, nW]) await p.node.connect(nA.node.addresses()[0])
    await nB1.node.connect(nRelay.node.addresses()[0])
    const all = [nA, nA1, nB, nB1, nAud, nOut, nRelay, nEve, nW]
    const validators = all.filter((p) => p !== nEve)
    // Joining asks connected peers once, perhaps before they hold the space: catch up along the topology (B1 sits behind the relay).
    const join = async (space: string): Promise<void> => {
      await joinAll(all, space)
      for (let round = 0; round < 2; round++) {
        for (const p of [nB, nA1, nAud, nOut, nRelay, nEve, nW]) await p.node.syncWith(nA.identity.id)
        await nB1.node.syncWith(nRelay.identity.id)
      }
    }

    // --- two organizations ---------------------------------------------------------------
    const { space: orgA } = await createOrg(nA.log, nA.identity, 'Org A')
    const credA1 = await issueCredential(nA.log, nA.identity, orgA, { member: nA1.identity.id, roles: ['member'], kind: 'person' })
    await issueCredential(nA.log, nA.identity, orgA, { member: aMember2.id, roles: ['member'], kind: 'person' })
    await issueCredential(nA.log, nA.identity, orgA, { member: aRep.id, roles: ['member', 'union-rep'], kind: 'person' })
    await issueCredential(nA.log, nA.identity, orgA, { member: aConsumer.id, roles: ['consumer'], kind: 'person' })
    const lastA = await issueCredential(nA.log, nA.identity, orgA, { member: nAud.identity.id, roles: ['auditor'], kind: 'person' })
    const { space: orgB } = await createOrg(nB.log, nB.identity, 'Org B')
    const lastB = await issueCredential(nB.log, nB.identity, orgB, { member: nB1.identity.id, roles: ['member'], kind: 'person' })
    await join(orgA)
    await join(orgB)
    await everyoneHolds(validators, lastA, 'org A')
    await everyoneHolds(validators, lastB, 'org B')

    // --- the federation: in force once both accept -----------------------------------------
    const { space: fed } = await createFederation(nA.log, nA.identity, 'A+B', [orgA, orgB])
    await join(fed)
    const acceptA = await acceptFederation(nA.log, nA.identity, fed, orgA)
    await everyoneHolds([nB], acceptA, 'A\'s acceptance')
    const acceptB = await acceptFederation(nB.log, nB.identity, fed, orgB)
    await everyoneHolds(validators, acceptB, 'B\'s acceptance')
    for (const p of validators) expect(federationState(await spaceEntriesOf(p.log, fed)).inForce, p.name).toBe(true)

    // --- a board granted to the federation --------------------------------------------------
    const { space: board } = await createGrantedSpace(nA.log, nA.identity, {
      kind: 'board', name: 'shared', policy: { grants: [{ federation: fed, roles: ['member', 'auditor', 'consumer'] }], read: 'public' }
    })
    await join(board)
    const policy = await nA.log.get(board, nA.identity.id, 2) as SignedEntry
    await everyoneHolds(validators, policy, 'the board\'s policy')

    // Members of both organizations edit it; B1's entry travels through the relay.
    const fromA1 = await nA1.log.append(nA1.identity, board, 'board/update', update('from A1'), await grantRefs(nA1.log, board, nA1.identity.id))
    const fromB1 = await nB1.log.append(nB1.identity, board, 'board/update', update('from B1'), await grantRefs(nB1.log, board, nB1.identity.id))
    await everyoneHolds(validators, fromA1, 'A1\'s edit')
    await everyoneHolds(validators, fromB1, 'B1\'s edit (relayed by a node without a credential)')
    expect(nRelay.orgs.state(orgA)?.members.has(nRelay.identity.id) ?? false).toBe(false)
    expect(nRelay.orgs.state(orgB)?.members.has(nRelay.identity.id) ?? false).toBe(false)

    // The auditor reads the board: it holds every edit.
    expect(await holds(nAud, fromA1)).toBe(true)
    expect(await holds(nAud, fromB1)).toBe(true)

    // --- a private (encrypted) board of org A: eavesdroppers see ciphertext only ------------------
    const MARKER = 'PLAINTEXT-MARKER-quarterly-numbers'
    const { space: secret } = await createGrantedSpace(nA.log, nA.identity, {
      kind: 'board', name: 'private', policy: { grants: [{ org: orgA, roles: ['member'] }], read: 'grants' }, encrypted: true
    })
    const epoch0 = newEpoch(secret, 0, [nA.identity.id, nA1.identity.id, aMember2.id])
    const key0 = await nA.log.append(nA.identity, secret, SPACE_KEY, epoch0.body)
    const topic = `/mutual/1/space/${secret}`
    const captured: Uint8Array[] = []
    const eavesdropper = nEve.node.libp2p.services.pubsub as any
    eavesdropper.addEventListener('message', (e: any) => { if (e.detail.topic === topic) captured.push(e.detail.data) })
    eavesdropper.subscribe(topic)
    await joinAll([nA1, nRelay], secret)
    await everyoneHolds([nA1], key0, 'the space key at A1 (a reader)')
    const hub = nA.node.libp2p.services.pubsub as any
    await eventually(() => hub.getSubscribers(topic).some((p: any) => p.toString() === nEve.identity.id), 'the eavesdropper to subscribe')
    // A gossipsub heartbeat takes the new subscriber into the hub's mesh; the edit is published after.
    await eventually(() => hub.getMeshPeers(topic).some((p: any) => p.toString() === nEve.identity.id), 'the eavesdropper in the hub\'s mesh')

    const ringA1 = SpaceKeyring.from(secret, nA1.identity, await spaceEntriesOf(nA1.log, secret))
    const privateEdit = await appendEncrypted(nA1.log, nA1.identity, ringA1, { type: 'board/update', body: update(MARKER) }, await grantRefs(nA1.log, secret, nA1.identity.id))
    await everyoneHolds([nA], privateEdit, 'the private edit at the admin')
    await eventually(() => captured.length > 0, 'the eavesdropper to capture gossip')
    expect(captured.some((bytes) => contains(bytes, MARKER))).toBe(false)
    expect(captured.some((bytes) => bytes.length > 0)).toBe(true)
    // Readers decrypt; sync sent nothing of it to the relay (no credential), which holds nothing of it.
    const ringAdmin = SpaceKeyring.from(secret, nA.identity, await spaceEntriesOf(nA.log, secret))
    expect(new TextDecoder().decode((ringAdmin.decrypt(privateEdit).body as { update: Uint8Array }).update)).toContain(MARKER)
    await nRelay.node.syncWith(nA.identity.id)
    expect(nRelay.log.genesis(secret)).toBeUndefined()
    expect(nEve.log.genesis(secret)).toBeUndefined()

    // Member 2 leaves the readers: what is written after the rotation is closed to them.
    const ringM2Before = SpaceKeyring.from(secret, aMember2, await spaceEntriesOf(nA.log, secret))
    expect(ringM2Before.decrypt(privateEdit)).toMatchObject({ type: 'board/update' })
    const epoch1 = rotate(secret, { epoch: 0 }, [nA.identity.id, nA1.identity.id], [aMember2.id])
    await nA.log.append(nA.identity, secret, SPACE_KEY, epoch1.body)
    const ringAdmin1 = SpaceKeyring.from(secret, nA.identity, await spaceEntriesOf(nA.log, secret))
    const afterRotation = await appendEncrypted(nA.log, nA.identity, ringAdmin1, { type: 'board/update', body: update(`${MARKER} after`) })
    await everyoneHolds([nA1], afterRotation, 'the post-rotation edit at A1')
    await eventually(() => captured.some((bytes) => Buffer.from(bytes).equals(Buffer.from(afterRotation.bytes))), 'the eavesdropper to capture the post-rotation edit')
    const ringM2 = SpaceKeyring.from(secret, aMember2, await spaceEntriesOf(nA1.log, secret))
    expect(() => ringM2.decrypt(afterRotation)).toThrow(expect.objectContaining({ name: 'NoSpaceKeyError' }))
    const ringA1After = SpaceKeyring.from(secret, nA1.identity, await spaceEntriesOf(nA1.log, secret))
    expect(ringA1After.decrypt(afterRotation)).toMatchObject({ type: 'board/update' })
    expect(captured.some((bytes) => contains(bytes, MARKER))).toBe(false)

    // --- the market -----------------------------------------------------------------------
    const market = await nA.log.createSpace(nA.identity, {
      kind: 'market', name: 'open market', policy: { write: 'anyone', writers: [] }, encrypted: false, nonce: crypto.getRandomValues(new Uint8Array(8))
    })
    await join(market.space)
    await everyoneHolds(validators, market, 'the market')
    const announcement = await nA.log.append(nA.identity, market.space, TASK_ANNOUNCE, {
      board, title: 'Translate the handbook', summary: 'EN → ZH', skills: ['translation'], estimate: 8, valueWeight: 1
    })
    await everyoneHolds(validators, announcement, 'the announcement')
    const apply = await nW.log.append(nW.identity, market.space, TASK_APPLY, { announcement: announcement.id, note: 'native speaker' }, [announcement.id])
    const apply2 = await nOut.log.append(nOut.identity, market.space, TASK_APPLY, { announcement: announcement.id, note: 'me too' }, [announcement.id])
    await everyoneHolds([nA], apply, 'the application at the board\'s admin')
    await everyoneHolds([nA], apply2, 'the second application at the board\'s admin')
    const accepted = await nA.log.append(nA.identity, market.space, TASK_ACCEPT, { application: apply.id, reason: 'fits the skills' }, [apply.id, announcement.id])
    const declined = await nA.log.append(nA.identity, market.space, TASK_DECLINE, { application: apply2.id, reason: 'no translation skill listed' }, [apply2.id, announcement.id])
    await everyoneHolds([nW, nOut], accepted, 'the acceptance')
    await everyoneHolds([nW, nOut], declined, 'the decline')
    const view = marketView(await spaceEntriesOf(nW.log, market.space))
    expect(view[0].applications.find((a) => a.id === apply.id.toString())).toMatchObject({ status: 'accepted', decisions: [{ author: nA.identity.id, reason: 'fits the skills' }] })
    expect(marketView(await spaceEntriesOf(nOut.log, market.space))[0].applications.find((a) => a.id === apply2.id.toString()))
      .toMatchObject({ status: 'declined', decisions: [{ author: nA.identity.id, reason: 'no translation skill listed' }] })
    // A worker may not decide on someone else's announcement.
    await expect(nW.log.append(nW.identity, market.space, TASK_DECLINE, { application: apply2.id, reason: 'rival' }, [apply2.id, announcement.id]))
      .rejects.toMatchObject({ name: 'NotAdminError' })

    // --- the auditor's writes are rejected everywhere ------------------------------------------
    const auditorRefs = await grantRefs(nAud.log, board, nAud.identity.id)
    await expect(nAud.log.append(nAud.identity, board, 'board/update', update('auditor edit'), auditorRefs)).rejects.toMatchObject({ name: 'RoleNotAllowedError' })
    const auditorEdit = forge(nAud.log, nAud.identity, board, 'board/update', update('auditor edit'), auditorRefs)
    for (const v of await verdicts(validators, auditorEdit)) expect(v).toBe('RoleNotAllowedError')

    // --- a non-member's entries are rejected everywhere -------------------------------------------
    const fedRefs = (await grantRefs(nA1.log, board, nA1.identity.id)).slice(0, -1) // policy, charter, accept; no credential
    const outsiderEdit = forge(nOut.log, nOut.identity, board, 'board/update', update('outsider edit'), fedRefs)
    for (const v of await verdicts(validators, outsiderEdit)) expect(['RoleNotAllowedError', 'MissingEvidenceError', 'UnauthorizedError']).toContain(v)
    const borrowed = forge(nOut.log, nOut.identity, board, 'board/update', update('outsider edit'), [...fedRefs, credA1.id])
    for (const v of await verdicts(validators, borrowed)) expect(v).toBe('ForgedCredentialError')

    // --- revocation: later entries, backdated or not, are rejected on every node -------------------
    const beforeRevoke = await nA1.log.append(nA1.identity, board, 'board/update', update('A1 last honest edit'), await grantRefs(nA1.log, board, nA1.identity.id))
    await everyoneHolds(validators, beforeRevoke, 'A1\'s last edit')
    await new Promise((resolve) => setTimeout(resolve, 20))
    const a1Refs = await grantRefs(nA1.log, board, nA1.identity.id)
    const revoke = await revokeCredential(nA.log, nA.identity, orgA, credA1.id.toString(), 'left the company')
    await everyoneHolds(validators, revoke, 'the revocation')
    for (const p of validators) await p.orgs.settled()
    const lastTs = beforeRevoke.entry.ts
    expect(lastTs[0]).toBeLessThan(revoke.entry.ts[0])
    // Backdated: stamped between A1's last honest edit and the revocation.
    const backdated = forge(nA.log, nA1.identity, board, 'board/update', update('backdated'), a1Refs, [lastTs[0], lastTs[1] + 1])
    expect(backdated.entry.ts[0]).toBeLessThan(revoke.entry.ts[0])
    for (const v of await verdicts(validators, backdated)) expect(['RevokedError', 'FrozenLogError']).toContain(v)
    const later = forge(nA.log, nA1.identity, board, 'board/update', update('after revocation'), a1Refs)
    for (const v of await verdicts(validators, later)) expect(['RevokedError', 'FrozenLogError']).toContain(v)
    await expect(nA1.log.append(nA1.identity, board, 'board/update', update('own node'), a1Refs)).rejects.toMatchObject({ name: 'FrozenLogError' })

    // Their authors' nodes gossip them anyway (last: peers penalize the senders of invalid
    // messages and stop forwarding to them). It changes nothing: every validating node agrees.
    // Every node dialled the hub, so the hub validates what each publisher sends first: seeing its
    // rejections proves the entries travelled (A1's two meet a frozen log, which gossip ignores
    // without a verdict); then, for a bounded window, no validator may come to hold any of them.
    const rejectedFrom = new Set<string>()
    const offRejected = nA.node.subscribe((event) => { if (event.type === 'gossip:rejected') rejectedFrom.add(event.peer) })
    await nAud.node.publish(auditorEdit)
    await nOut.node.publish(outsiderEdit)
    await nOut.node.publish(borrowed)
    await nA1.node.publish(backdated)
    await nA1.node.publish(later)
    await eventually(() => [nAud, nOut].every((p) => rejectedFrom.has(p.identity.id)), 'the hub to reject the auditor\'s and the outsider\'s entries')
    offRejected()
    const rejected = [auditorEdit, outsiderEdit, borrowed, backdated, later]
    await never(async () => {
      for (const e of rejected) for (const p of validators) if (await holds(p, e)) return true
      return false
    }, 1500, 'a validator storing a rejected entry')
    const vectors = validators.map((p) => JSON.stringify(Object.entries(p.log.vector(board)).sort(([a], [b]) => a < b ? -1 : 1)))
    for (const v of vectors) expect(v).toBe(vectors[0])
    for (const e of [fromA1, fromB1, beforeRevoke]) for (const p of validators) expect(await holds(p, e)).toBe(true)
  }, 120_000)
})
