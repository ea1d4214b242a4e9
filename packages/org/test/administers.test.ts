import { describe, expect, it } from 'vitest'
import { administersGrantedSpace, createGrantedSpace, createOrg, issueCredential } from '@mutual/org'
import type { SignedEntry } from '@mutual/protocol'
import { Clock, identities, openNode } from './helpers.js'

describe('administersGrantedSpace', () => {
  it("is true for an admin of an org the space's policy grants, shown by refs; false for members and without the policy", async () => {
    const node = await openNode(new Clock())
    const [founder, member, outsider] = await identities(3)
    const { space: org } = await createOrg(node.log, founder, 'Acme')
    const { space: other } = await createOrg(node.log, outsider, 'Other')
    const credential = await issueCredential(node.log, founder, org, { member: member.id, roles: ['member'], kind: 'person' })
    const genesis = await createGrantedSpace(node.log, member, { kind: 'board', name: 'work', policy: { grants: [{ org, roles: ['member'] }], read: 'grants' } })
    const policy = await node.log.get(genesis.space, member.id, 2) as SignedEntry
    const orgGenesis = node.log.genesis(org) as SignedEntry
    const entry = (author: string): SignedEntry => ({ space: genesis.space, entry: { author, type: 'task/assign' } }) as unknown as SignedEntry

    expect(administersGrantedSpace(entry(founder.id), genesis, [policy, orgGenesis])).toBe(true)
    // A member writes under the grant, but administers nothing.
    expect(administersGrantedSpace(entry(member.id), genesis, [policy, credential])).toBe(false)
    // An admin proof of an org the policy does not grant, or no policy in refs.
    expect(administersGrantedSpace(entry(outsider.id), genesis, [policy, node.log.genesis(other) as SignedEntry])).toBe(false)
    expect(administersGrantedSpace(entry(founder.id), genesis, [orgGenesis])).toBe(false)
    await node.stop()
  })
})
