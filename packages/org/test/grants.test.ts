import { describe, expect, it } from 'vitest'
import { Log, memoryStore } from '@mutual/log'
import {
  ROLE_WRITES, createGrantedSpace, createOrg, extendRoleWrites, grantAuthorizer, grantRefs, issueCredential, loadOrgState, mayWriteType,
  orgAuthorizer
} from '@mutual/org'
import { CID, type SignedEntry } from '@mutual/protocol'
import { Clock, identities, openNode, records, replicate } from './helpers.js'

describe('spaces granted to organizations', () => {
  it('admits each granted role to what ROLE_WRITES allows it, and nothing else', async () => {
    const clock = new Clock()
    const node = await openNode(clock)
    const [founder, member, observer, consumer, auditor, reviewer, stranger] = await identities(7)
    const { space: org } = await createOrg(node.log, founder, 'Acme')
    const holders = [[member, 'member'], [observer, 'observer'], [consumer, 'consumer'], [auditor, 'auditor'], [reviewer, 'reviewer']] as const
    for (const [who, role] of holders) await issueCredential(node.log, founder, org, { member: who.id, roles: [role], kind: 'person' })
    const { space: board } = await createGrantedSpace(node.log, founder, {
      kind: 'board', name: 'tasks', policy: { grants: [{ org, roles: ['member', 'observer', 'consumer', 'auditor'] }], read: 'grants' }
    })
    const note = { text: 'hello' }
    const refs = async (id: string): Promise<SignedEntry['id'][]> => await grantRefs(node.log, board, id)

    await node.log.append(member, board, 'space/note', note, await refs(member.id))
    for (const who of [observer, consumer, auditor]) {
      await expect(node.log.append(who, board, 'space/note', note, await refs(who.id))).rejects.toMatchObject({ name: 'RoleNotAllowedError' })
    }
    await node.log.append(consumer, board, 'contrib/feedback', { task: 't1', satisfaction: 4 }, await refs(consumer.id))
    // A reviewer's credential holds no role this board grants.
    const policy = await node.log.get(board, founder.id, 2) as SignedEntry
    const reviewerCredential = [...(await loadOrgState(node.log, org)).credentials.values()].find((c) => c.member === reviewer.id)?.id as string
    await expect(node.log.append(reviewer, board, 'space/note', note, [policy.id, CID.parse(reviewerCredential)]))
      .rejects.toMatchObject({ name: 'RoleNotAllowedError' })
    // Without the policy and a credential in refs, the genesis policy decides: not listed, not admitted.
    await expect(node.log.append(stranger, board, 'space/note', note)).rejects.toMatchObject({ name: 'UnauthorizedError' })
    await expect(node.log.append(stranger, board, 'space/note', note, [policy.id])).rejects.toMatchObject({ name: 'MissingEvidenceError' })

    // The same entries replicate with the same verdicts.
    const other = await openNode(clock)
    expect([...(await replicate(node, other)).values()].every((v) => v === undefined)).toBe(true)
    await node.stop()
    await other.stop()
  })

  it('takes an extended role table, and admits an org admin where the grant includes admin', async () => {
    expect(mayWriteType(['observer'], 'space/note')).toBe(false)
    const table = extendRoleWrites(ROLE_WRITES, { observer: ['space/note'] })
    expect(mayWriteType(['observer'], 'space/note', table)).toBe(true)
    expect(ROLE_WRITES.observer).toEqual(['profile/set'])

    const log = new Log({ store: memoryStore(), registry: records(), authorizers: [orgAuthorizer(), grantAuthorizer({ roleWrites: table })] })
    await log.start()
    const [founder, observer, owner] = await identities(3)
    const { space: org } = await createOrg(log, founder, 'Acme')
    await issueCredential(log, founder, org, { member: observer.id, roles: ['observer'], kind: 'person' })
    const { space: board } = await createGrantedSpace(log, owner, { kind: 'board', name: 'b', policy: { grants: [{ org, roles: ['observer', 'admin'] }], read: 'public' } })
    await log.append(observer, board, 'space/note', { text: 'noted' }, await grantRefs(log, board, observer.id))
    const policy = await log.get(board, owner.id, 2) as SignedEntry
    await log.append(founder, board, 'space/note', { text: 'as admin' }, [policy.id, (log.genesis(org) as SignedEntry).id])
    await log.stop()
  })
})
