import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Log, memoryStore } from '@mutual/log'
import type { SignedEntry } from '@mutual/protocol'
import {
  ORG_CREDENTIAL, approveProposal, createGrantedSpace, createOrg, grantRefs, issueCredential, loadOrgState, proposeChange,
  revokeCredential, spaceEntriesOf
} from '@mutual/org'
import { Clock, allEntries, heldIds, identities, ingestAll, openNode, records, replicate } from './helpers.js'

/**
 * Entries from several nodes that never saw each other's latest: an org with an added admin, a
 * union representative co-signing a policy, a board its members write, a member who keeps
 * writing on their own node after being revoked, a union-rep approval after its revocation, and
 * a credential forged on a node without authorizers.
 */
async function universe (clock: Clock): Promise<{ entries: SignedEntry[], org: string }> {
  const admin = await openNode(clock)
  const [founder, second, member, rep, forger] = await identities(5)
  const { space: org } = await createOrg(admin.log, founder, 'Acme')
  const credential = await issueCredential(admin.log, founder, org, { member: member.id, roles: ['member'], kind: 'person' })
  const repCredential = await issueCredential(admin.log, founder, org, { member: rep.id, roles: ['union-rep'], kind: 'person' })
  const add = await proposeChange(admin.log, founder, org, { kind: 'admins', add: [second.id], remove: [] })
  await approveProposal(admin.log, founder, org, add.id.toString())
  await approveProposal(admin.log, rep, org, add.id.toString())
  await issueCredential(admin.log, second, org, { member: forger.id, roles: ['observer'], kind: 'person' })
  const { space: board } = await createGrantedSpace(admin.log, founder, { kind: 'board', name: 'b', policy: { grants: [{ org, roles: ['member'] }], read: 'grants' } })
  const refs = await grantRefs(admin.log, board, member.id)
  await admin.log.append(member, board, 'space/note', { text: '1' }, refs)

  const remote = await openNode(clock)
  await replicate(admin, remote)
  await remote.log.append(member, board, 'space/note', { text: '2' }, refs)
  await remote.log.append(member, board, 'space/note', { text: '3' }, refs)
  const policy = await proposeChange(remote.log, second, org, { kind: 'policy', policy: { effort: 2 } })
  await approveProposal(remote.log, second, org, policy.id.toString())
  await ingestAll(admin, [policy])

  await revokeCredential(admin.log, founder, org, credential.id.toString(), 'left')
  await revokeCredential(admin.log, founder, org, repCredential.id.toString(), 'term ended')
  await ingestAll(remote, [])
  // The rep's node had not heard: it approves the policy after its revocation.
  await approveProposal(remote.log, rep, org, policy.id.toString())

  const permissive = new Log({ store: memoryStore(), registry: records(), authorizers: [], now: clock.now })
  await permissive.start()
  for (const e of await allEntries(admin.log)) await permissive.ingest(e.bytes).catch(() => {})
  await permissive.append(forger, org, ORG_CREDENTIAL, { member: forger.id, roles: ['member', 'reviewer'], kind: 'person' })

  const byId = new Map<string, SignedEntry>()
  for (const log of [admin.log, remote.log, permissive]) for (const e of await allEntries(log)) byId.set(e.id.toString(), e)
  await admin.stop()
  await remote.stop()
  await permissive.stop()
  return { entries: [...byId.values()], org }
}

describe('order independence', () => {
  it('gives the same org state and the same verdicts whatever order the entries arrive in', async () => {
    const clock = new Clock()
    const { entries, org } = await universe(clock)
    const run = async (order: SignedEntry[]): Promise<{ held: string[], state: unknown, board: string[] }> => {
      const node = await openNode(clock)
      await ingestAll(node, order)
      const state = await loadOrgState(node.log, org)
      const spaces = node.log.spaces().filter((s) => s !== org)
      const board = spaces.length === 1 ? (await spaceEntriesOf(node.log, spaces[0])).map((e) => e.id.toString()).sort() : []
      const held = await heldIds(node.log)
      await node.stop()
      return { held, state, board }
    }
    const reference = await run(entries)
    // The board keeps its genesis, its policy and the revoked member's first note; the forged credential and the late approval are out.
    expect(reference.board).toHaveLength(3)
    expect(reference.held.length).toBeLessThan(entries.length)
    const refState = reference.state as Awaited<ReturnType<typeof loadOrgState>>
    expect(refState.policies).toHaveLength(0)
    expect(refState.cutoffs.size).toBe(2)

    await fc.assert(fc.asyncProperty(fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }), async (order) => {
      const result = await run(order)
      expect(result.held).toEqual(reference.held)
      expect(result.state).toEqual(reference.state)
    }), { numRuns: 40 })
  })
})
