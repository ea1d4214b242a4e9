import { describe, expect, it } from 'vitest'
import {
  approveProposal, createGrantedSpace, createOrg, grantRefs, issueCredential, loadOrgState, proposeChange, revocationHeads,
  revokeCredential, rolesOf
} from '@mutual/org'
import { Clock, allEntries, heldIds, identities, ingestAll, openNode, replicate } from './helpers.js'

const REJECTED = ['FrozenLogError', 'RevokedError']

describe('revocation', () => {
  it('rejects a revoked member\'s later entries everywhere, backdated or not, and freezes out those taken before it arrived', async () => {
    const clock = new Clock()
    const admin = await openNode(clock)
    const [founder, member] = await identities(2)
    const { space: org } = await createOrg(admin.log, founder, 'Acme')
    const credential = await issueCredential(admin.log, founder, org, { member: member.id, roles: ['member'], kind: 'person' })
    const { space: board } = await createGrantedSpace(admin.log, founder, { kind: 'board', name: 'tasks', policy: { grants: [{ org, roles: ['member'] }], read: 'grants' } })

    // The member's own node runs three minutes behind (within the skew bound): what it writes is stamped before the revocation.
    const own = await openNode(clock, { now: () => clock.ms - 3 * 60_000 })
    await replicate(admin, own)
    const refs = await grantRefs(own.log, board, member.id, clock.ms)
    const early = [
      await own.log.append(member, board, 'space/note', { text: 'one' }, refs),
      await own.log.append(member, board, 'space/note', { text: 'two' }, refs)
    ]
    await ingestAll(admin, early)

    // A bystander takes two more of the member's entries before the revocation reaches it.
    const bystander = await openNode(clock)
    await replicate(admin, bystander)
    const late = [
      await own.log.append(member, board, 'space/note', { text: 'three' }, refs),
      await own.log.append(member, board, 'space/note', { text: 'four' }, refs)
    ]
    expect([...(await ingestAll(bystander, late)).values()]).toEqual([undefined, undefined])
    expect(bystander.log.vector(board)[member.id].seq).toBe(4)

    // The admin revokes, naming the member's heads as the admin's node sees them.
    clock.advance(1000)
    expect(await revocationHeads(admin.log, member.id, org)).toEqual([[board, 2]])
    const revoke = await revokeCredential(admin.log, founder, org, credential.id.toString(), 'left the company')
    await admin.orgs.settled()
    for (const e of late) expect(e.entry.ts[0]).toBeLessThan(revoke.entry.ts[0])

    // The admin's node refuses the later (backdated) entries.
    for (const verdict of (await ingestAll(admin, late)).values()) expect(REJECTED).toContain(verdict)
    // So does the member's own node's next entry, once it hears of the revocation.
    await ingestAll(own, [revoke])
    await expect(own.log.append(member, board, 'space/note', { text: 'five' }, refs)).rejects.toMatchObject({ name: 'FrozenLogError' })

    // The bystander freezes out what it took before the revocation arrived.
    await ingestAll(bystander, [revoke])
    expect(bystander.log.vector(board)[member.id]).toMatchObject({ seq: 2, frozenAt: 2 })
    expect(await heldIds(bystander.log)).toEqual(await heldIds(admin.log))

    // A node that hears the revocation first refuses them too, and all agree.
    const fresh = await openNode(clock)
    await replicate(admin, fresh)
    expect(fresh.log.vector(board)[member.id]).toMatchObject({ seq: 2, frozenAt: 2 })
    for (const verdict of (await ingestAll(fresh, late)).values()) expect(REJECTED).toContain(verdict)
    expect(await heldIds(fresh.log)).toEqual(await heldIds(admin.log))

    const state = await loadOrgState(bystander.log, org)
    expect(state.members.get(member.id)?.revoked).toEqual({ heads: [[board, 2]] })
    expect(rolesOf(state, member.id, { space: board, seq: 2, ts: clock.ms })).toEqual(['member'])
    expect(rolesOf(state, member.id, { space: board, seq: 3, ts: 0 })).toEqual([])
    expect(rolesOf(state, member.id, { space: 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy', seq: 1, ts: 0 })).toEqual([])
    expect(rolesOf(state, member.id)).toEqual([])
    for (const n of [admin, own, bystander, fresh]) await n.stop()
  })

  it('freezes a member who wrote in a granted space the revocation does not name at 0', async () => {
    const clock = new Clock()
    const admin = await openNode(clock)
    const [founder, member] = await identities(2)
    const { space: org } = await createOrg(admin.log, founder, 'Acme')
    const credential = await issueCredential(admin.log, founder, org, { member: member.id, roles: ['member'], kind: 'person' })
    const { space: board } = await createGrantedSpace(admin.log, founder, { kind: 'board', name: 'tasks', policy: { grants: [{ org, roles: ['member'] }], read: 'grants' } })
    const other = await openNode(clock)
    await replicate(admin, other)
    const note = await other.log.append(member, board, 'space/note', { text: 'unseen by the admin' }, await grantRefs(other.log, board, member.id))
    // The admin never saw the board entry: its revocation names no heads.
    const revoke = await revokeCredential(admin.log, founder, org, credential.id.toString(), 'gone', [])
    await ingestAll(other, [revoke])
    expect(other.log.vector(board)[member.id]).toMatchObject({ seq: 0, frozenAt: 0 })
    expect((await allEntries(other.log)).some((e) => e.id.equals(note.id))).toBe(false)
    await admin.stop()
    await other.stop()
  })

  it('cuts off a union representative\'s approvals after the revocation, and a removed admin\'s acts', async () => {
    const clock = new Clock()
    const admin = await openNode(clock)
    const [founder, second, rep] = await identities(3)
    const { space: org } = await createOrg(admin.log, founder, 'Acme')
    const repCredential = await issueCredential(admin.log, founder, org, { member: rep.id, roles: ['union-rep'], kind: 'person' })
    const add = await proposeChange(admin.log, founder, org, { kind: 'admins', add: [second.id], remove: [] })
    await approveProposal(admin.log, founder, org, add.id.toString())
    await approveProposal(admin.log, rep, org, add.id.toString())
    expect((await loadOrgState(admin.log, org)).admins.has(second.id)).toBe(true)

    // Elsewhere the rep approves a policy and the second admin issues a credential, unseen by the founder's node.
    const remote = await openNode(clock)
    await replicate(admin, remote)
    const policy = await proposeChange(admin.log, founder, org, { kind: 'policy', policy: { effort: 1 } })
    await ingestAll(remote, [policy])
    const repApproval = await approveProposal(remote.log, rep, org, policy.id.toString())
    const [newcomer] = await identities(1)
    const issued = await issueCredential(remote.log, second, org, { member: newcomer.id, roles: ['member'], kind: 'person' })

    // The founder revokes the rep and, with the rep's earlier co-signature no longer needed, removes the second admin.
    await revokeCredential(admin.log, founder, org, repCredential.id.toString(), 'term ended')
    const removal = await proposeChange(admin.log, founder, org, {
      kind: 'admins', add: [], remove: [{ admin: second.id, heads: await revocationHeads(admin.log, second.id, org) }]
    })
    await approveProposal(admin.log, founder, org, removal.id.toString())
    await admin.orgs.settled()

    for (const verdict of (await ingestAll(admin, [repApproval, issued])).values()) expect(REJECTED).toContain(verdict)
    await replicate(admin, remote)
    const state = await loadOrgState(remote.log, org)
    expect(state.credentials.has(issued.id.toString())).toBe(false)
    expect(state.proposals.get(policy.id.toString())?.approvals).toEqual([])
    expect(state.admins.get(second.id)?.removed).toBeDefined()
    expect(await heldIds(remote.log)).toEqual(await heldIds(admin.log))
    await admin.stop()
    await remote.stop()
  })
})
