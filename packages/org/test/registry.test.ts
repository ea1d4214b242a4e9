import { describe, expect, it } from 'vitest'
import { memoryStore } from '@mutual/log'
import {
  TASK_ANNOUNCE, createGrantedSpace, createOrg, grantRefs, issueCredential, revokeCredential, type AnnounceBody
} from '@mutual/org'
import { Clock, identities, openNode } from './helpers.js'

const announcement: AnnounceBody = { title: 't', summary: '', skills: [], estimate: 1, valueWeight: 1 }

describe('OrgRegistry', () => {
  it('loads what the log holds on start: org state, cutoffs, policies and rate windows', async () => {
    const clock = new Clock()
    const store = memoryStore()
    const first = await openNode(clock, { store })
    const [founder, member, poster] = await identities(3)
    const { space: org } = await createOrg(first.log, founder, 'Acme')
    const credential = await issueCredential(first.log, founder, org, { member: member.id, roles: ['member'], kind: 'person' })
    const { space: board } = await createGrantedSpace(first.log, founder, { kind: 'board', name: 'b', policy: { grants: [{ org, roles: ['member'] }], read: 'public' } })
    const refs = await grantRefs(first.log, board, member.id)
    await first.log.append(member, board, 'space/note', { text: 'one' }, refs)
    await revokeCredential(first.log, founder, org, credential.id.toString(), 'gone')
    const { space: market } = await first.log.createSpace(founder, { kind: 'market', name: 'm', policy: { write: 'anyone', writers: [] }, encrypted: false, nonce: new Uint8Array(4) })
    for (let i = 0; i < 20; i++) await first.log.append(poster, market, TASK_ANNOUNCE, announcement)
    await first.stop()

    const second = await openNode(clock, { store })
    expect(second.orgs.state(org)?.members.get(member.id)?.revoked).toEqual({ heads: [[board, 1]] })
    expect(second.orgs.cutoff(org, member.id, board)).toBe(1)
    expect(second.orgs.policy(board)?.grants).toEqual([{ org, roles: ['member'] }])
    expect(second.orgs.recent(market, poster.id, TASK_ANNOUNCE, clock.ms - 60 * 60_000)).toBe(20)
    await expect(second.log.append(poster, market, TASK_ANNOUNCE, announcement)).rejects.toMatchObject({ name: 'RateLimitError' })
    await expect(second.log.append(member, board, 'space/note', { text: 'two' }, refs)).rejects.toMatchObject({ name: 'FrozenLogError' })
    await second.stop()
  })
})
