import { describe, expect, it } from 'vitest'
import { CID } from '@mutual/protocol'
import {
  FEDERATION_ACCEPT, FEDERATION_CHARTER, acceptFederation, createFederation, createGrantedSpace, createOrg, federationInForce,
  federationState, grantRefs, issueCredential, spaceEntriesOf
} from '@mutual/org'
import { Clock, identities, openNode, replicate } from './helpers.js'

describe('federation', () => {
  it('is in force only once every listed organization has accepted, and then admits their members to granted spaces', async () => {
    const clock = new Clock()
    const node = await openNode(clock)
    const [founderA, founderB, memberB, stranger] = await identities(4)
    const { space: orgA } = await createOrg(node.log, founderA, 'A')
    const { space: orgB } = await createOrg(node.log, founderB, 'B')
    const credential = await issueCredential(node.log, founderB, orgB, { member: memberB.id, roles: ['member'], kind: 'person' })
    const { space: fed } = await createFederation(node.log, founderA, 'A+B', [orgA, orgB])
    const { space: board } = await createGrantedSpace(node.log, founderA, { kind: 'board', name: 'joint', policy: { grants: [{ federation: fed, roles: ['member'] }], read: 'grants' } })
    const policy = await node.log.get(board, founderA.id, 2)
    const charter = await node.log.get(fed, founderA.id, 2)
    if (policy === undefined || charter === undefined) throw new Error('fixture')

    expect(federationInForce(await spaceEntriesOf(node.log, fed))).toBe(false)
    await expect(node.log.append(memberB, board, 'space/note', { text: 'early' }, [policy.id, charter.id, credential.id]))
      .rejects.toMatchObject({ name: 'MissingEvidenceError' })

    // Only an admin of a listed org accepts, for that org, with an honest tally.
    await expect(node.log.append(stranger, fed, FEDERATION_ACCEPT, { org: orgA, accepted: [orgA] }, [charter.id]))
      .rejects.toMatchObject({ name: 'NotAdminError' })
    const { space: orgC } = await createOrg(node.log, stranger, 'C')
    await expect(acceptFederation(node.log, stranger, fed, orgC)).rejects.toMatchObject({ name: 'UnauthorizedError' })
    await expect(node.log.append(founderA, fed, FEDERATION_CHARTER, { orgs: [orgA] })).rejects.toMatchObject({ name: 'MisplacedRecordError' })

    const acceptA = await acceptFederation(node.log, founderA, fed, orgA)
    expect(federationInForce(await spaceEntriesOf(node.log, fed))).toBe(false)
    await expect(node.log.append(memberB, board, 'space/note', { text: 'half' }, [policy.id, charter.id, acceptA.id, credential.id]))
      .rejects.toMatchObject({ name: 'MissingEvidenceError' })
    await expect(node.log.append(founderB, fed, FEDERATION_ACCEPT, { org: orgB, accepted: [orgA, orgB].sort() }, [charter.id, CID.parse(orgB)]))
      .rejects.toMatchObject({ name: 'TallyMismatchError' })

    const acceptB = await acceptFederation(node.log, founderB, fed, orgB)
    expect(acceptB.entry.body.accepted).toEqual([orgA, orgB].sort())
    const state = federationState(await spaceEntriesOf(node.log, fed))
    expect(state).toMatchObject({ inForce: true, inForceAt: acceptB.id.toString() })
    expect([...state.accepts.keys()].sort()).toEqual([orgA, orgB].sort())

    // The writer names the policy, the charter, the accept that put it in force, and their credential.
    const refs = await grantRefs(node.log, board, memberB.id)
    expect(refs.map(String)).toEqual([policy.id, charter.id, acceptB.id, credential.id].map(String))
    await node.log.append(memberB, board, 'space/note', { text: 'together' }, refs)

    // Another node reaches the same verdicts from the same entries.
    const other = await openNode(clock)
    const verdicts = await replicate(node, other)
    expect([...verdicts.values()].filter((v) => v !== undefined)).toEqual([])
    expect(federationInForce(await spaceEntriesOf(other.log, fed))).toBe(true)
    expect(other.log.vector(board)[memberB.id].seq).toBe(1)
    await node.stop()
    await other.stop()
  })
})
