import { describe, expect, it } from 'vitest'
import { CID, NOTE_TYPE, type Identity } from '@mutual/protocol'
import {
  TASK_ACCEPT, TASK_ANNOUNCE, TASK_APPLY, boardAdminRefs, createGrantedSpace, createOrg, handoverOf, issueCredential, policyEntry,
  type AnnounceBody
} from '@mutual/org'
import { Clock, allEntries, identities, ingestAll, openNode, type Node } from './helpers.js'

const task = (board: string, id: string): AnnounceBody => ({ board, task: id, title: `task ${id}`, summary: '', skills: [], estimate: 1, valueWeight: 1 })

/** An org (founder; a member who created its board; a colleague), a public market, and an outsider in no org. */
async function scene (): Promise<{ node: Node, founder: Identity, member: Identity, colleague: Identity, outsider: Identity, org: string, board: string, market: string }> {
  const node = await openNode(new Clock())
  const [founder, member, colleague, outsider] = await identities(4)
  const { space: org } = await createOrg(node.log, founder, 'Acme')
  for (const who of [member, colleague]) await issueCredential(node.log, founder, org, { member: who.id, roles: ['member'], kind: 'person' })
  const { space: board } = await createGrantedSpace(node.log, member, { kind: 'board', name: 'Launch', policy: { grants: [{ org, roles: ['member', 'admin'] }], read: 'public', owner: org } })
  const { space: market } = await node.log.createSpace(founder, { kind: 'market', name: 'jobs', policy: { write: 'anyone', writers: [] }, encrypted: false, nonce: new Uint8Array(8) })
  return { node, founder, member, colleague, outsider, org, board, market }
}

/** `by` announces a task of the board, the outsider applies: the application and announcement. */
async function applied (s: Awaited<ReturnType<typeof scene>>, by: Identity, id: string): Promise<[CID, CID]> {
  const ann = await s.node.log.append(by, s.market, TASK_ANNOUNCE, task(s.board, id))
  const app = await s.node.log.append(s.outsider, s.market, TASK_APPLY, { announcement: ann.id, note: '' }, [ann.id])
  return [app.id, ann.id]
}

describe('hand-over', () => {
  it('admits the applicant\'s board entries citing an acceptance by an org admin of the board, and nothing else of theirs', async () => {
    const s = await scene()
    const { node, founder, outsider, board, market } = s
    const [app, ann] = await applied(s, founder, 't1')
    const { proof } = await boardAdminRefs(node.log, board, founder.id)
    // The hand-over must name the announcement's board task and the applicant.
    await expect(node.log.append(founder, market, TASK_ACCEPT, { application: app, reason: 'fits', handover: { board, task: 't2', applicant: outsider.id } }, [app, ann, ...proof]))
      .rejects.toMatchObject({ name: 'HandoverMismatchError' })
    await expect(node.log.append(founder, market, TASK_ACCEPT, { application: app, reason: 'fits', handover: { board, task: 't1', applicant: founder.id } }, [app, ann, ...proof]))
      .rejects.toMatchObject({ name: 'HandoverMismatchError' })
    const acceptance = await node.log.append(founder, market, TASK_ACCEPT, { application: app, reason: 'fits', handover: { board, task: 't1', applicant: outsider.id } }, [app, ann, ...proof])
    expect(handoverOf(acceptance)).toEqual(expect.objectContaining({ board, task: 't1', applicant: outsider.id, acceptor: founder.id }))

    await expect(node.log.append(outsider, board, NOTE_TYPE, { text: 'no refs' })).rejects.toMatchObject({ name: 'UnauthorizedError' })
    const policy = (await policyEntry(node.log, board))!.id
    const written = await node.log.append(outsider, board, NOTE_TYPE, { text: 'handed over' }, [acceptance.id, policy, ...proof])
    expect(written.entry.seq).toBe(1)
    // Without the acceptor's proof, the acceptance shows no authority over the board.
    await expect(node.log.append(outsider, board, NOTE_TYPE, { text: 'no proof' }, [acceptance.id, policy]))
      .rejects.toMatchObject({ name: 'NotBoardAdminError' })

    // Another node takes the same entries in any order and reaches the same log.
    const other = await openNode(new Clock())
    const everything = await allEntries(node.log)
    await ingestAll(other, [...everything].reverse())
    await ingestAll(other, everything)
    expect(other.log.vector(board)).toEqual(node.log.vector(board))
    await other.stop()
    await node.stop()
  })

  it('grants nothing by an acceptance signed by someone who may not administer the board', async () => {
    const s = await scene()
    const { node, founder, member, colleague, outsider, board, market, org } = s
    // The colleague announced it, so the market takes their decision; they neither created the board nor administer the org.
    const [app, ann] = await applied(s, colleague, 't1')
    await expect(boardAdminRefs(node.log, board, colleague.id)).rejects.toMatchObject({ name: 'NotBoardAdminError' })
    const acceptance = await node.log.append(colleague, market, TASK_ACCEPT, { application: app, reason: 'mine', handover: { board, task: 't1', applicant: outsider.id } }, [app, ann])
    const policy = (await policyEntry(node.log, board))!.id
    for (const refs of [[acceptance.id, policy], [acceptance.id, policy, CID.parse(org)]]) {
      await expect(node.log.append(outsider, board, NOTE_TYPE, { text: 'refused' }, refs)).rejects.toMatchObject({ name: 'NotBoardAdminError' })
    }
    expect(node.log.head(board, outsider.id)).toBeUndefined()
    // Who may administer it: its creator (no proof needed), and the org's founder (the org's genesis).
    expect((await boardAdminRefs(node.log, board, member.id)).proof).toEqual([])
    expect((await boardAdminRefs(node.log, board, founder.id)).proof.map(String)).toEqual([org])
    await node.stop()
  })
})
