import { describe, expect, it } from 'vitest'
import type { SignedEntry } from '@mutual/protocol'
import {
  approveProposal, createOrg, currentAdmins, delegateAgent, issueCredential, loadOrgState, operatorOf, orgParticipants, proposeChange,
  rolesOf
} from '@mutual/org'
import { Clock, identities, openNode, replicate } from './helpers.js'

describe('organization lifecycle', () => {
  it('founds an org, issues credentials, adds an admin, and enacts changes by threshold', async () => {
    const clock = new Clock()
    const node = await openNode(clock)
    const [founder, second, member, rep, agent] = await identities(5)
    const { space: org } = await createOrg(node.log, founder, 'Acme')

    let state = await loadOrgState(node.log, org)
    expect(currentAdmins(state)).toEqual([founder.id])
    expect(state.threshold).toEqual({ admins: 1, unionRep: true })

    await issueCredential(node.log, founder, org, { member: member.id, roles: ['member', 'reviewer'], kind: 'person' })

    // No union representative yet: one admin's approval enacts.
    const addAdmin = await proposeChange(node.log, founder, org, { kind: 'admins', add: [second.id], remove: [] })
    expect(addAdmin.entry.body.threshold).toEqual({ admins: 1, unionRep: false })
    const enact = await approveProposal(node.log, founder, org, addAdmin.id.toString())
    expect(enact.entry.body.enacts).toBe(true)
    state = await loadOrgState(node.log, org)
    expect(currentAdmins(state)).toEqual([founder.id, second.id].sort())

    // The second admin's entries name the change that made them one.
    const repCredential = await issueCredential(node.log, second, org, { member: rep.id, roles: ['member', 'union-rep'], kind: 'person' })
    expect(repCredential.entry.refs?.map(String)).toEqual([addAdmin.id.toString(), enact.id.toString()])

    // With a union representative, a policy change needs their co-signature.
    const policy = await proposeChange(node.log, second, org, { kind: 'policy', policy: { effort: 5, quality: 3 } })
    expect(policy.entry.body.threshold).toEqual({ admins: 1, unionRep: true })
    const byAdmin = await approveProposal(node.log, second, org, policy.id.toString())
    expect(byAdmin.entry.body.enacts).toBe(false)
    expect((await loadOrgState(node.log, org)).policies).toHaveLength(0)
    const byRep = await approveProposal(node.log, rep, org, policy.id.toString())
    expect(byRep.entry.body).toMatchObject({ as: 'union-rep', enacts: true, tally: { admins: [second.id], unionReps: [rep.id] } })
    state = await loadOrgState(node.log, org)
    expect(state.policies).toEqual([expect.objectContaining({
      version: 1, policy: { effort: 5, quality: 3 }, enactedBy: byRep.id.toString(), approvals: [byAdmin.id.toString(), byRep.id.toString()].sort()
    })])
    expect(state.proposals.size).toBe(0)

    // Raise the threshold to two admins and a union representative.
    const raise = await proposeChange(node.log, founder, org, { kind: 'threshold', admins: 2, unionRep: true })
    await approveProposal(node.log, founder, org, raise.id.toString())
    await approveProposal(node.log, rep, org, raise.id.toString())
    state = await loadOrgState(node.log, org)
    expect(state.threshold).toEqual({ admins: 2, unionRep: true })

    // The next policy names the new threshold as its context and needs all three.
    const v2 = await proposeChange(node.log, founder, org, { kind: 'policy', policy: { effort: 4, quality: 4 } })
    expect(v2.entry.body.threshold).toEqual({ admins: 2, unionRep: true })
    expect((await approveProposal(node.log, founder, org, v2.id.toString())).entry.body.enacts).toBe(false)
    expect((await approveProposal(node.log, rep, org, v2.id.toString())).entry.body.enacts).toBe(false)
    expect((await loadOrgState(node.log, org)).proposals.get(v2.id.toString())?.approvals).toHaveLength(2)
    const last = await approveProposal(node.log, second, org, v2.id.toString())
    expect(last.entry.body).toMatchObject({ enacts: true })
    expect(last.entry.body.tally.admins).toHaveLength(2)
    state = await loadOrgState(node.log, org)
    expect(state.policies.map((p) => p.version)).toEqual([1, 2])

    // An agent acts for a member.
    await delegateAgent(node.log, founder, org, { agent: agent.id, operator: member.id, scopes: ['board/update'], expires: clock.ms + 86_400_000 })
    state = await loadOrgState(node.log, org)
    expect(operatorOf(state, agent.id)).toBe(member.id)
    expect(operatorOf(state, agent.id, { space: org, seq: 1, ts: clock.ms + 86_400_000 })).toBeUndefined()
    expect(rolesOf(state, member.id)).toEqual(['member', 'reviewer'])
    expect(rolesOf(state, rep.id)).toEqual(['member', 'union-rep'])
    expect(rolesOf(state, second.id)).toEqual(['admin'])
    expect(state.members.get(rep.id)).toMatchObject({ credential: repCredential.id.toString(), kind: 'person' })

    // The ledger's view of participants.
    const participants = orgParticipants(state)
    const at = { space: org, seq: 1, ts: [clock.ms, 0] as const }
    expect(participants.roles(member.id, at)).toEqual(['member', 'reviewer'])
    expect(participants.operatorOf(agent.id)).toBe(member.id)
    expect(participants.grants(repCredential, rep.id, 'union-rep', at)).toBe(true)
    expect(participants.grants(repCredential, rep.id, 'reviewer', at)).toBe(false)
    expect(participants.grants(repCredential, member.id, 'union-rep', at)).toBe(false)
    expect(participants.grants(enact, second.id, 'admin', at)).toBe(true)
    expect(participants.grants(node.log.genesis(org) as SignedEntry, founder.id, 'admin', at)).toBe(true)

    // Another node holding the same entries derives the same state.
    const other = await openNode(clock)
    const verdicts = await replicate(node, other)
    expect([...verdicts.values()].filter((v) => v !== undefined)).toEqual([])
    expect(await loadOrgState(other.log, org)).toEqual(state)
    await node.stop()
    await other.stop()
  })

  it('respects credential expiry by the entry stamp', async () => {
    const clock = new Clock()
    const node = await openNode(clock)
    const [founder, member] = await identities(2)
    const { space: org } = await createOrg(node.log, founder, 'Acme')
    await issueCredential(node.log, founder, org, { member: member.id, roles: ['member'], kind: 'person', expires: clock.ms + 1000 })
    const state = await loadOrgState(node.log, org)
    expect(rolesOf(state, member.id, { space: org, seq: 1, ts: clock.ms + 999 })).toEqual(['member'])
    expect(rolesOf(state, member.id, { space: org, seq: 1, ts: [clock.ms + 1000, 0] })).toEqual([])
    await node.stop()
  })
})
