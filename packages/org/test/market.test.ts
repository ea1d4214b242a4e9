import { describe, expect, it } from 'vitest'
import type { Identity, SignedEntry } from '@mutual/protocol'
import {
  TASK_ACCEPT, TASK_ANNOUNCE, TASK_APPLY, TASK_DECLINE, createGrantedSpace, createOrg, grantRefs, issueCredential, marketView,
  spaceEntriesOf, type AnnounceBody
} from '@mutual/org'
import { Clock, identities, ingestAll, openNode, type Node } from './helpers.js'

const announcement = (i: number): AnnounceBody => ({ title: `task ${i}`, summary: 'do it', skills: ['ts'], estimate: 3, valueWeight: 1 })

async function publicMarket (node: Node, creator: Identity): Promise<string> {
  const { space } = await node.log.createSpace(creator, { kind: 'market', name: 'open', policy: { write: 'anyone', writers: [] }, encrypted: false, nonce: new Uint8Array(8) })
  return space
}

describe('market', () => {
  it('limits announcements and applications per author per hour, deterministically', async () => {
    const clock = new Clock()
    const node = await openNode(clock)
    const [creator, worker, poster] = await identities(3)
    const market = await publicMarket(node, creator)
    const posted: SignedEntry[] = []
    for (let i = 0; i < 20; i++) posted.push(await node.log.append(poster, market, TASK_ANNOUNCE, announcement(i)))
    await expect(node.log.append(poster, market, TASK_ANNOUNCE, announcement(20))).rejects.toMatchObject({ name: 'RateLimitError' })
    await expect(node.log.append(worker, market, TASK_APPLY, { announcement: posted[0].id, note: 'no ref' })).rejects.toMatchObject({ name: 'MissingEvidenceError' })
    for (let i = 0; i < 50; i++) await node.log.append(worker, market, TASK_APPLY, { announcement: posted[i % 20].id, note: `${i}` }, [posted[i % 20].id])
    await expect(node.log.append(worker, market, TASK_APPLY, { announcement: posted[0].id, note: 'one more' }, [posted[0].id]))
      .rejects.toMatchObject({ name: 'RateLimitError' })
    clock.advance(60 * 60_000)
    await node.log.append(poster, market, TASK_ANNOUNCE, announcement(21))

    // A node with a looser limit takes 25 in one hour; a node with the default keeps exactly the first 20, in any order.
    const loose = await openNode(clock, { limits: { perWindow: { [TASK_ANNOUNCE]: 100 }, windowMs: 60 * 60_000 } })
    await ingestAll(loose, [(await node.log.get(market, creator.id, 1)) as SignedEntry])
    const [flood] = await identities(1)
    const burst: SignedEntry[] = []
    for (let i = 0; i < 25; i++) burst.push(await loose.log.append(flood, market, TASK_ANNOUNCE, announcement(i)))
    const strict = await openNode(clock)
    await ingestAll(strict, [(await node.log.get(market, creator.id, 1)) as SignedEntry])
    const verdicts = await ingestAll(strict, [...burst].reverse())
    expect(strict.log.vector(market)[flood.id].seq).toBe(20)
    expect(verdicts.size).toBe(25)
    const inOrder = await openNode(clock)
    await ingestAll(inOrder, [(await node.log.get(market, creator.id, 1)) as SignedEntry])
    // The 21st is refused; the 22nd then waits for a predecessor that never comes.
    expect([...(await ingestAll(inOrder, burst)).values()].slice(19, 22)).toEqual([undefined, 'RateLimitError', undefined])
    expect(inOrder.log.vector(market)).toEqual(strict.log.vector(market))
    for (const n of [node, loose, strict, inOrder]) await n.stop()
  })

  it('lets the announcer, or a reviewer or admin of a granting org, accept and decline', async () => {
    const clock = new Clock()
    const node = await openNode(clock)
    const [founder, poster, applicant, reviewer, member] = await identities(5)
    const { space: org } = await createOrg(node.log, founder, 'Acme')
    for (const [who, roles] of [[poster, ['member']], [applicant, ['member']], [reviewer, ['reviewer']], [member, ['member']]] as const) {
      await issueCredential(node.log, founder, org, { member: who.id, roles: [...roles], kind: 'person' })
    }
    const { space: market } = await createGrantedSpace(node.log, founder, {
      kind: 'market', name: 'acme market', policy: { grants: [{ org, roles: ['member', 'reviewer', 'admin'] }], read: 'grants' }
    })
    const ann = await node.log.append(poster, market, TASK_ANNOUNCE, announcement(1), await grantRefs(node.log, market, poster.id))
    const app1 = await node.log.append(applicant, market, TASK_APPLY, { announcement: ann.id, note: 'me' }, [...await grantRefs(node.log, market, applicant.id), ann.id])
    const app2 = await node.log.append(member, market, TASK_APPLY, { announcement: ann.id, note: 'me too' }, [...await grantRefs(node.log, market, member.id), ann.id])

    // A member who is neither the announcer nor a reviewer may not decide.
    await expect(node.log.append(member, market, TASK_ACCEPT, { application: app1.id, reason: 'self-appointed' }, [...await grantRefs(node.log, market, member.id), app1.id, ann.id]))
      .rejects.toMatchObject({ name: 'NotAdminError' })
    // Decisions name the application and its announcement.
    await expect(node.log.append(poster, market, TASK_ACCEPT, { application: app1.id, reason: 'no refs' }, await grantRefs(node.log, market, poster.id)))
      .rejects.toMatchObject({ name: 'MissingEvidenceError' })

    const declined = await node.log.append(poster, market, TASK_DECLINE, { application: app2.id, reason: 'skills do not match' }, [...await grantRefs(node.log, market, poster.id), app2.id, ann.id])
    const accepted = await node.log.append(reviewer, market, TASK_ACCEPT, { application: app1.id, reason: 'best fit' }, [...await grantRefs(node.log, market, reviewer.id), app1.id, ann.id])
    // The org's founder decides as an admin, naming the org's genesis as evidence.
    const policy = await node.log.get(market, founder.id, 2) as SignedEntry
    const genesisOfOrg = node.log.genesis(org) as SignedEntry
    await node.log.append(founder, market, TASK_ACCEPT, { application: app1.id, reason: 'confirmed' }, [policy.id, genesisOfOrg.id, app1.id, ann.id])

    const view = marketView(await spaceEntriesOf(node.log, market))
    expect(view).toHaveLength(1)
    expect(view[0]).toMatchObject({ id: ann.id.toString(), author: poster.id, body: { title: 'task 1' } })
    expect(view[0].applications.map((a) => [a.author, a.status])).toEqual([[applicant.id, 'accepted'], [member.id, 'declined']])
    expect(view[0].applications[0].decisions.map((d) => [d.author, d.kind])).toEqual([[reviewer.id, 'accept'], [founder.id, 'accept']])
    expect(view[0].applications[1].decisions[0]).toMatchObject({ id: declined.id.toString(), reason: 'skills do not match' })
    expect(accepted.entry.type).toBe(TASK_ACCEPT)

    // In the public market only the announcer decides.
    const [creator, stranger] = await identities(2)
    const open = await publicMarket(node, creator)
    const a = await node.log.append(poster, open, TASK_ANNOUNCE, announcement(2))
    const p = await node.log.append(applicant, open, TASK_APPLY, { announcement: a.id, note: 'hi' }, [a.id])
    await expect(node.log.append(stranger, open, TASK_DECLINE, { application: p.id, reason: 'no' }, [p.id, a.id])).rejects.toMatchObject({ name: 'NotAdminError' })
    await node.log.append(poster, open, TASK_ACCEPT, { application: p.id, reason: 'yes' }, [p.id, a.id])
    await expect(node.log.append(founder, org, TASK_ANNOUNCE, announcement(3))).rejects.toMatchObject({ name: 'MisplacedRecordError' })

    const other = await openNode(clock)
    await ingestAll(other, await spaceEntriesOf(node.log, org))
    await ingestAll(other, [...await spaceEntriesOf(node.log, market)].reverse())
    // Another node, given the market's entries in reverse, keeps the same ones.
    const ids = async (n: Node): Promise<string[]> => (await spaceEntriesOf(n.log, market)).map((e) => e.id.toString()).sort()
    expect(await ids(other)).toEqual(await ids(node))
    await node.stop()
    await other.stop()
  })
})
