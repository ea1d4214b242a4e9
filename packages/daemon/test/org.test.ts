import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CID, generateIdentity, signEntry, type Identity, type SignedEntry, type Stamp } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import { ORG_APPROVE, ORG_CREDENTIAL, createOrg, grantRefs } from '@mutual/org'
import { apiJson, eventually, startTestDaemon, type TestDaemon } from './helpers.js'

/** Organizations through the API: the happy path, and bad input answered as problem+json with nothing applied. */

let d: TestDaemon
beforeAll(async () => { d = await startTestDaemon() })
afterAll(async () => { await d?.dispose() })

const post = async (path: string, body: unknown): Promise<{ status: number, type: string | null, body: any }> =>
  await apiJson(d, path, { method: 'POST', body: JSON.stringify(body) })

function forge (log: Log, author: Identity, space: string, type: string, body: unknown, refs: CID[], ts?: Stamp): SignedEntry {
  const head = log.head(space, author.id)
  return signEntry(author, {
    v: 1,
    space: CID.parse(space),
    author: author.id,
    seq: (head?.seq ?? 0) + 1,
    prev: head === undefined ? null : CID.parse(head.head),
    ts: ts ?? [Date.now(), 0],
    type,
    body,
    refs
  } as any)
}

const b64 = (e: SignedEntry): string => Buffer.from(e.bytes).toString('base64')

function expectProblem (res: { status: number, type: string | null, body: any }, status: number, name: string): void {
  expect(res.type).toContain('application/problem+json')
  expect(res.body).toMatchObject({ status, name })
  expect(res.status).toBe(status)
}

describe('organizations over the API', () => {
  it('creates an org, issues credentials, proposes a policy (awaiting the union rep), revokes, federates and grants a board', async () => {
    const [alice, rep] = await Promise.all([generateIdentity(), generateIdentity()])
    const created = await post('/api/v1/orgs', { name: 'Acme' })
    expect(created.status).toBe(201)
    const org = created.body.org as string
    expect(d.node.joined()).toContain(org)

    expect((await post(`/api/v1/orgs/${org}/credentials`, { member: alice.id, roles: ['member', 'reviewer'] })).status).toBe(201)
    expect((await post(`/api/v1/orgs/${org}/credentials`, { member: rep.id, roles: ['member', 'union-rep'], kind: 'person' })).status).toBe(201)
    const proposal = await post(`/api/v1/orgs/${org}/proposals`, { change: { kind: 'policy', policy: { effort: 5000, quality: 5000 } } })
    expect(proposal.status).toBe(201)
    const approved = await post(`/api/v1/orgs/${org}/proposals/${proposal.body.id as string}/approve`, {})
    expect(approved.body.enacted).toBe(false) // the union rep's co-signature is still missing

    let shown = await apiJson(d, `/api/v1/orgs/${org}`)
    expect(shown.status).toBe(200)
    expect(shown.body.admins).toEqual([expect.objectContaining({ id: d.identity.id, removed: false })])
    expect(shown.body.members).toEqual(expect.arrayContaining([expect.objectContaining({ id: alice.id, roles: ['member', 'reviewer'] })]))
    expect(shown.body.threshold).toEqual({ admins: 1, unionRep: true })
    expect(shown.body.proposals).toHaveLength(1)
    expect(shown.body.policies).toEqual([])

    const revoked = await post(`/api/v1/orgs/${org}/revocations`, { member: alice.id, reason: 'left' })
    expect(revoked.status).toBe(201)
    shown = await apiJson(d, `/api/v1/orgs/${org}`)
    expect(shown.body.members.find((m: any) => m.id === alice.id).revoked).toBe(true)
    expect((await apiJson(d, '/api/v1/orgs')).body.orgs).toEqual([expect.objectContaining({ org, roles: ['admin'] })])

    const fed = await post('/api/v1/federations', { name: 'alone', orgs: [org] })
    expect(fed.status).toBe(201)
    expect((await post(`/api/v1/federations/${fed.body.federation as string}/accept`, { org })).status).toBe(201)
    expect((await apiJson(d, `/api/v1/federations/${fed.body.federation as string}`)).body).toMatchObject({ orgs: [org], accepted: [org], inForce: true })

    const board = await post('/api/v1/spaces/granted', { name: 'tasks', grants: [{ federation: fed.body.federation, roles: ['member'] }], read: 'grants' })
    expect(board.status).toBe(201)
    expect(d.node.joined()).toContain(board.body.space)
  })

  it('a market: announce, apply, decide with a reason', async () => {
    const market = await post('/api/v1/markets', { name: 'open' })
    expect(market.status).toBe(201)
    const m = market.body.market as string
    const ann = await post(`/api/v1/markets/${m}/announcements`, { title: 'Fix the roof', skills: ['roofing'], estimate: 3 })
    expect(ann.status).toBe(201)
    const app = await post(`/api/v1/markets/${m}/applications`, { announcement: ann.body.id, note: 'me' })
    expect(app.status).toBe(201)
    const declined = await post(`/api/v1/markets/${m}/applications/${app.body.id as string}/decline`, { reason: 'applied to own task' })
    expect(declined.status).toBe(201)
    const view = await apiJson(d, `/api/v1/markets/${m}`)
    expect(view.body.announcements[0].applications[0]).toMatchObject({ status: 'declined', decisions: [{ kind: 'decline', reason: 'applied to own task' }] })
    expectProblem(await post(`/api/v1/markets/${m}/applications/${app.body.id as string}/accept`, { reason: '' }), 400, 'InvalidRequestError')
    expectProblem(await post(`/api/v1/markets/${m}/applications`, { announcement: app.body.id }), 404, 'NotFoundError')
  })

  it('refuses bad input with named problems and applies nothing', async () => {
    const [member, outsider, otherAdmin] = await Promise.all([generateIdentity(), generateIdentity(), generateIdentity()])
    const org = (await post('/api/v1/orgs', { name: 'Strict' })).body.org as string
    const rep = await generateIdentity()
    await post(`/api/v1/orgs/${org}/credentials`, { member: rep.id, roles: ['union-rep'] })
    const memberCred = (await post(`/api/v1/orgs/${org}/credentials`, { member: member.id, roles: ['member'] })).body
    const short = (await post(`/api/v1/orgs/${org}/credentials`, { member: outsider.id, roles: ['member'], expires: Date.now() + 300 })).body
    const board = (await post('/api/v1/spaces/granted', { name: 'b', grants: [{ org, roles: ['member'] }] })).body.space as string
    const membersBefore = (await apiJson(d, `/api/v1/orgs/${org}`)).body.members.length

    // A credential signed by a non-admin.
    const byNonAdmin = forge(d.log, member, org, ORG_CREDENTIAL, { member: outsider.id, roles: ['member', 'reviewer'], kind: 'person' }, [])
    expectProblem(await post(`/api/v1/orgs/${org}/entries`, { entry: b64(byNonAdmin) }), 403, 'NotAdminError')
    // A credential signed by the admin, then altered to name someone else: the signature no longer holds.
    const genuine = forge(d.log, d.identity, org, ORG_CREDENTIAL, { member: outsider.id, roles: ['member'], kind: 'person' }, [])
    const altered = Buffer.from(genuine.bytes)
    const at = altered.indexOf(Buffer.from(outsider.id))
    altered[at + 20] = altered[at + 20] === 0x41 ? 0x42 : 0x41
    const forgedSig = await post(`/api/v1/orgs/${org}/entries`, { entry: altered.toString('base64') })
    expectProblem(forgedSig, 400, 'BadSignatureError')
    // A member citing someone else's credential in a granted space.
    const refs = await grantRefs(d.log, board, member.id)
    const stolen = forge(d.log, outsider, board, 'space/note', { text: 'not mine' }, [refs[0], CID.parse(memberCred.id as string)])
    expectProblem(await post(`/api/v1/orgs/${org}/entries`, { entry: b64(stolen) }), 403, 'ForgedCredentialError')
    // An expired credential: signed once the clock has passed its expiry.
    await eventually(() => Date.now() > (short.body.expires as number), 5_000, 'the credential to expire')
    const expired = forge(d.log, outsider, board, 'space/note', { text: 'too late' }, [refs[0], CID.parse(short.id as string)])
    expectProblem(await post(`/api/v1/orgs/${org}/entries`, { entry: b64(expired) }), 403, 'CredentialExpiredError')
    expect(d.log.head(board, outsider.id)).toBeUndefined()

    // Issuing from a node that is not the org's admin.
    const { space: foreign } = await createOrg(d.log, otherAdmin, 'Not ours')
    expectProblem(await post(`/api/v1/orgs/${foreign}/credentials`, { member: member.id, roles: ['member'] }), 403, 'NotAdminError')
    expectProblem(await post(`/api/v1/orgs/${org}/credentials`, { member: member.id, roles: ['overlord'] }), 400, 'InvalidRequestError')
    expectProblem(await post(`/api/v1/orgs/${org}/proposals`, { change: { kind: 'nonsense' } }), 400, 'InvalidRequestError')
    expectProblem(await apiJson(d, '/api/v1/orgs/bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'), 404, 'UnknownOrgError')

    // A policy change short of its threshold: the admin's approval claims to enact without the union rep.
    const proposal = (await post(`/api/v1/orgs/${org}/proposals`, { change: { kind: 'policy', policy: { effort: 1 } } })).body
    expect(proposal.body.threshold).toEqual({ admins: 1, unionRep: true })
    // Stamped after the proposal: a stamp below the author's previous one would be refused for that instead.
    await eventually(() => Date.now() > (proposal.ts as [number, number])[0], 1_000, 'the clock to pass the proposal')
    const enacting = forge(d.log, d.identity, org, ORG_APPROVE, {
      proposal: CID.parse(proposal.id as string), as: 'admin', tally: { admins: [d.identity.id], unionReps: [] }, enacts: true
    }, [CID.parse(proposal.id as string)])
    expectProblem(await post(`/api/v1/orgs/${org}/entries`, { entry: b64(enacting) }), 403, 'ThresholdNotMetError')

    const after = (await apiJson(d, `/api/v1/orgs/${org}`)).body
    expect(after.members.length).toBe(membersBefore)
    // Admins are members: the founder alone holds the admin role; nothing forged made another admin.
    expect(after.members.filter((m: any) => m.roles.includes('admin')).map((m: any) => m.id)).toEqual([d.identity.id])
    expect(after.policies).toEqual([])
    expect(after.proposals[0].approvals).toEqual([])
  })
})
