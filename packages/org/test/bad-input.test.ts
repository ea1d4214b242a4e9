import { describe, expect, it } from 'vitest'
import { CID, signEntry, type Identity, type SignedEntry } from '@mutual/protocol'
import {
  ORG_APPROVE, ORG_CREDENTIAL, ORG_PROPOSE, approveProposal, createGrantedSpace, createOrg, grantRefs, issueCredential,
  loadOrgState, proposeChange, type ApproveBody
} from '@mutual/org'
import { Clock, heldIds, identities, openNode, replicate, type Node } from './helpers.js'

/** An org with a founder, a member and a union representative, and a board granted to its members. */
async function fixture (clock: Clock): Promise<{ node: Node, org: string, board: string, founder: Identity, member: Identity, rep: Identity, outsider: Identity }> {
  const node = await openNode(clock)
  const [founder, member, rep, outsider] = await identities(4)
  const { space: org } = await createOrg(node.log, founder, 'Acme')
  await issueCredential(node.log, founder, org, { member: member.id, roles: ['member'], kind: 'person' })
  await issueCredential(node.log, founder, org, { member: rep.id, roles: ['member', 'union-rep'], kind: 'person' })
  const { space: board } = await createGrantedSpace(node.log, founder, { kind: 'board', name: 'tasks', policy: { grants: [{ org, roles: ['member'] }], read: 'grants' } })
  return { node, org, board, founder, member, rep, outsider }
}

async function snapshot (node: Node, org: string): Promise<unknown> {
  return { held: await heldIds(node.log), state: await loadOrgState(node.log, org) }
}

describe('bad input is refused with a named error and changes nothing', () => {
  it('a credential of another member', async () => {
    const clock = new Clock()
    const { node, org, board, member, outsider } = await fixture(clock)
    const before = await snapshot(node, org)
    const refs = await grantRefs(node.log, board, member.id)
    await expect(node.log.append(outsider, board, 'space/note', { text: 'hi' }, refs)).rejects.toMatchObject({ name: 'ForgedCredentialError' })
    expect(await snapshot(node, org)).toEqual(before)
    await node.stop()
  })

  it('a credential signed by someone who is not an admin of the granted org', async () => {
    const clock = new Clock()
    const { node, org, board, outsider } = await fixture(clock)
    // The outsider founds their own org and credentials themself there.
    const { space: own } = await createOrg(node.log, outsider, 'Shadow')
    const forged = await issueCredential(node.log, outsider, own, { member: outsider.id, roles: ['member'], kind: 'person' })
    const policy = await node.log.get(board, node.log.genesis(board)?.entry.author ?? '', 2) as SignedEntry
    const before = await snapshot(node, org)
    await expect(node.log.append(outsider, board, 'space/note', { text: 'hi' }, [policy.id, forged.id])).rejects.toMatchObject({ name: 'ForgedCredentialError' })
    // Nor can a non-admin write a credential into the org itself.
    await expect(node.log.append(outsider, org, ORG_CREDENTIAL, { member: outsider.id, roles: ['member'], kind: 'person' })).rejects.toMatchObject({ name: 'NotAdminError' })
    // Nor put an org credential in a space that is not an org.
    const { space: raw } = await node.log.createSpace(outsider, { kind: 'raw', name: 'mine', policy: { write: 'listed', writers: [] }, encrypted: false, nonce: new Uint8Array(8) })
    await expect(node.log.append(outsider, raw, ORG_CREDENTIAL, { member: outsider.id, roles: ['member'], kind: 'person' })).rejects.toMatchObject({ name: 'MisplacedRecordError' })
    expect((await snapshot(node, org) as { state: unknown }).state).toEqual((before as { state: unknown }).state)
    await node.stop()
  })

  it('an expired credential', async () => {
    const clock = new Clock()
    const { node, org, board, founder } = await fixture(clock)
    const [temp] = await identities(1)
    await issueCredential(node.log, founder, org, { member: temp.id, roles: ['member'], kind: 'person', expires: clock.ms + 60_000 })
    const refs = await grantRefs(node.log, board, temp.id, clock.ms)
    await node.log.append(temp, board, 'space/note', { text: 'in time' }, refs)
    clock.advance(60_000)
    const before = await snapshot(node, org)
    await expect(node.log.append(temp, board, 'space/note', { text: 'too late' }, refs)).rejects.toMatchObject({ name: 'CredentialExpiredError' })
    expect(await snapshot(node, org)).toEqual(before)
    await node.stop()
  })

  it('admin granted by a credential', async () => {
    const clock = new Clock()
    const { node, org, founder, member } = await fixture(clock)
    await expect(node.log.append(founder, org, ORG_CREDENTIAL, { member: member.id, roles: ['admin'], kind: 'person' })).rejects.toMatchObject({ name: 'BodySchemaError' })
    await node.stop()
  })

  it('a policy change enacted short of its threshold, or proposed below it', async () => {
    const clock = new Clock()
    const { node, org, founder, rep } = await fixture(clock)
    const proposal = await proposeChange(node.log, founder, org, { kind: 'policy', policy: { effort: 1 } })
    expect(proposal.entry.body.threshold).toEqual({ admins: 1, unionRep: true })
    const before = await snapshot(node, org)
    // The founder claims to enact it alone, though the org has a union representative.
    const short: ApproveBody = { proposal: proposal.id, as: 'admin', tally: { admins: [founder.id], unionReps: [] }, enacts: true }
    await expect(node.log.append(founder, org, ORG_APPROVE, short, [proposal.id])).rejects.toMatchObject({ name: 'ThresholdNotMetError' })
    // A tally that counts an approval it does not name.
    const padded: ApproveBody = { proposal: proposal.id, as: 'admin', tally: { admins: [founder.id], unionReps: [rep.id] }, enacts: true }
    await expect(node.log.append(founder, org, ORG_APPROVE, padded, [proposal.id])).rejects.toMatchObject({ name: 'TallyMismatchError' })
    // A proposal that names the union representative in its context but asks for no co-signature.
    const repCredential = [...(await loadOrgState(node.log, org)).credentials.values()].find((c) => c.member === rep.id)?.id as string
    await expect(node.log.append(founder, org, ORG_PROPOSE, { change: { kind: 'policy', policy: { effort: 9 } }, threshold: { admins: 1, unionRep: false } }, [CID.parse(repCredential)]))
      .rejects.toMatchObject({ name: 'WeakThresholdError' })
    expect(await snapshot(node, org)).toEqual(before)
    expect((await loadOrgState(node.log, org)).policies).toEqual([])

    // A union representative cannot approve as an admin, and a stranger not at all.
    await expect(node.log.append(rep, org, ORG_APPROVE, { proposal: proposal.id, as: 'admin', tally: { admins: [rep.id], unionReps: [] }, enacts: false }, [proposal.id]))
      .rejects.toMatchObject({ name: 'NotAdminError' })
    // With the co-signature it goes through.
    await approveProposal(node.log, founder, org, proposal.id.toString())
    await approveProposal(node.log, rep, org, proposal.id.toString())
    expect((await loadOrgState(node.log, org)).policies).toHaveLength(1)
    await node.stop()
  })

  it('a clock beyond the skew bound', async () => {
    const clock = new Clock()
    const { node, org, founder, member } = await fixture(clock)
    const ahead = await openNode(clock, { now: () => clock.ms + 10 * 60_000 })
    await replicate(node, ahead)
    const early = await issueCredential(ahead.log, founder, org, { member: member.id, roles: ['reviewer'], kind: 'person' })
    const before = await snapshot(node, org)
    await expect(node.log.ingest(early.bytes)).rejects.toMatchObject({ name: 'ClockSkewError' })
    expect(await snapshot(node, org)).toEqual(before)
    await node.stop()
    await ahead.stop()
  })

  it('refs stamped after the entry, and org records out of place', async () => {
    const clock = new Clock()
    const { node, org, board, founder, rep } = await fixture(clock)
    const proposal = await proposeChange(node.log, founder, org, { kind: 'policy', policy: { effort: 1 } })
    const approval = await approveProposal(node.log, rep, org, proposal.id.toString())
    // The founder's next entry, stamped as their last one, names the later approval.
    const head = node.log.head(org, founder.id)
    if (head === undefined) throw new Error('fixture')
    const early = signEntry(founder, {
      v: 1, space: CID.parse(org), author: founder.id, seq: head.seq + 1, prev: CID.parse(head.head), ts: head.ts, type: ORG_APPROVE,
      body: { proposal: proposal.id, as: 'admin', tally: { admins: [founder.id], unionReps: [rep.id] }, enacts: true },
      refs: [proposal.id, approval.id]
    })
    await expect(node.log.ingest(early.bytes)).rejects.toMatchObject({ name: 'RefOrderError' })
    await expect(node.log.append(founder, board, ORG_PROPOSE, { change: { kind: 'threshold', admins: 1, unionRep: false }, threshold: { admins: 1, unionRep: true } }))
      .rejects.toMatchObject({ name: 'MisplacedRecordError' })
    await expect(node.log.append(founder, org, 'space/policy', { grants: [{ org, roles: ['member'] }], read: 'public' }))
      .rejects.toMatchObject({ name: 'MisplacedRecordError' })
    await expect(node.log.append(founder, board, 'space/policy', { grants: [{ org, roles: ['member'] }], read: 'public' }))
      .rejects.toMatchObject({ name: 'MisplacedRecordError' })
    await node.stop()
  })
})
