import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadOrgState } from '@mutual/org'
import { type TestDaemon, apiJson, startTestDaemon } from './helpers.js'

/** Inviting a member to an organization: the ticket redeems a credential with the invite's roles. */
describe('joining an organization with a ticket', () => {
  let a: TestDaemon
  let b: TestDaemon
  let c: TestDaemon
  beforeAll(async () => {
    [a, b, c] = await Promise.all([startTestDaemon(), startTestDaemon(), startTestDaemon()])
  })
  afterAll(async () => {
    await Promise.allSettled([c?.dispose(), b?.dispose()])
    await a?.dispose()
  })

  const post = async (d: TestDaemon, path: string, body: unknown = {}): Promise<{ status: number, body: any }> =>
    await apiJson(d, `/api/v1${path}`, { method: 'POST', body: JSON.stringify(body) })

  it('issues the joiner a credential with the roles asked; refuses a used ticket and a non-admin inviter', async () => {
    const org = (await post(a, '/orgs', { name: 'Acme' })).body.org as string
    const invite = await post(a, `/orgs/${org}/invites`, { roles: ['member', 'reviewer'], uses: 1, expiresInSeconds: 3600 })
    expect(invite.status, JSON.stringify(invite.body)).toBe(201)
    expect(invite.body.ticket).toMatch(/^mutual1:/)

    const joined = await post(b, '/join', { ticket: invite.body.ticket })
    expect(joined.status, JSON.stringify(joined.body)).toBe(200)
    expect(joined.body).toMatchObject({ org, name: 'Acme', credential: expect.stringMatching(/^bafy/) })
    for (const d of [a, b]) {
      const state = await loadOrgState(d.log, org)
      expect(state.credentials.get(joined.body.credential as string)).toMatchObject({ member: b.identity.id, roles: ['member', 'reviewer'] })
    }
    const shown = (await apiJson(a, `/api/v1/orgs/${org}`)).body
    expect(shown.members).toEqual(expect.arrayContaining([expect.objectContaining({ id: b.identity.id, roles: ['member', 'reviewer'] })]))

    const again = await post(c, '/join', { ticket: invite.body.ticket })
    expect(again.body).toMatchObject({ status: 410, name: 'InviteUsedError' })

    // b is a member, not an admin: it cannot invite.
    const byMember = await post(b, `/orgs/${org}/invites`, {})
    expect(byMember.body).toMatchObject({ status: 403, name: 'NotAdminError' })
    expect((await post(a, `/orgs/${org}/invites`, { roles: ['admin'] })).status).toBe(400)
  })
})
