import { describe, expect, it } from 'vitest'
import { CID, PROFILE_TYPE } from '@mutual/protocol'
import { createGrantedSpace, createOrg, issueCredential } from '../src/index.js'
import { Clock, identities, openNode } from './helpers.js'

const profile = (identity: string, name: string): Record<string, unknown> => ({ identity, name, description: '', kind: 'person' })

describe('profiles in organization spaces', () => {
  it('the founder and any credential holder publish their profile; an outsider may not', async () => {
    const node = await openNode(new Clock())
    const [founder, observer, outsider, owner] = await identities(4)
    const { space: org } = await createOrg(node.log, founder, 'Acme')
    const credential = await issueCredential(node.log, founder, org, { member: observer.id, roles: ['observer'], kind: 'person' })

    await node.log.append(founder, org, PROFILE_TYPE, profile(founder.id, 'The admin'))
    await node.log.append(observer, org, PROFILE_TYPE, profile(observer.id, 'An observer'), [credential.id])
    await expect(node.log.append(outsider, org, PROFILE_TYPE, profile(outsider.id, 'Nobody'))).rejects.toMatchObject({ name: 'MissingEvidenceError' })

    // In a space granted to the org, an observer (who writes nothing else) publishes a profile too.
    const { space: board } = await createGrantedSpace(node.log, owner, { kind: 'board', name: 'b', policy: { grants: [{ org, roles: ['observer'] }], read: 'public' } })
    const policy = CID.parse((await node.log.get(board, owner.id, 2))!.id.toString())
    await node.log.append(observer, board, PROFILE_TYPE, profile(observer.id, 'An observer'), [policy, credential.id])
    await expect(node.log.append(observer, board, 'space/note', { text: 'hi' }, [policy, credential.id])).rejects.toMatchObject({ name: 'RoleNotAllowedError' })
    await node.stop()
  })
})
