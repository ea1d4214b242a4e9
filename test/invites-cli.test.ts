import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, buildOnce, cleanup, mutual, mutualJson, ok, startDaemon, tempHome, type DaemonProcess } from './cli/helpers.js'

/** Invites of every kind, listed and revoked through the CLI (`mutual invites`, `mutual invite revoke`) and the API, between two real daemons. */

let a: DaemonProcess
let b: DaemonProcess
beforeAll(async () => {
  buildOnce()
  ;[a, b] = await Promise.all([startDaemon(tempHome()), startDaemon(tempHome())])
}, 120_000)
afterAll(async () => {
  try {
    for (const d of [a, b]) if (d !== undefined) expect(await d.stop()).toBe(0)
  } finally {
    cleanup()
  }
})

interface Listed { invites: Array<{ id: string, kind: string, space: string, name: string, roles: string[], status: string }> }

describe('invites as one feature', () => {
  it('lists board and org invites together, revokes either by id, and a revoked org ticket is refused by the inviter', async () => {
    const org = await ok(a, ['org', 'create', 'Acme'])
    const board = await ok(a, ['board', 'create', 'Week 12'])
    const orgTicket = await ok(a, ['invite', org, '--roles', 'reviewer'])
    const boardTicket = await ok(a, ['board', 'invite', board])

    const listed = await mutualJson<Listed>(['invites', '--json', '--home', a.home])
    expect(listed.invites.map((i) => [i.kind, i.space, i.name, i.roles, i.status])).toEqual([
      ['org', org, 'Acme', ['reviewer'], 'active'],
      ['board', board, 'Week 12', [], 'active']
    ])
    const only = await mutualJson<Listed>(['invites', '--kind', 'org', '--json', '--home', a.home])
    expect(only.invites.map((i) => i.space)).toEqual([org])
    const human = await mutual(['invites', '--home', a.home], { env: { NO_COLOR: '1' } })
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/org\s+Acme/)
    expect(human.stdout).toMatch(/board\s+Week 12/)

    const [orgInvite, boardInvite] = listed.invites
    expect(await ok(a, ['invite', 'revoke', orgInvite.id])).toBe('')
    const refused = await mutual(['join', orgTicket, '--home', b.home])
    expect(refused.code).toBe(4)
    expect(refused.stderr).toContain('InviteRevokedError')

    // The same through the API: the board invite revoked by id, then its ticket refused.
    const revoked = await api(a, 'DELETE', `/invites/${boardInvite.id}`)
    expect(revoked.status).toBe(200)
    expect(revoked.body).toMatchObject({ id: boardInvite.id, kind: 'board', status: 'revoked' })
    const refusedBoard = await mutual(['join', boardTicket, '--home', b.home])
    expect(refusedBoard.code).toBe(4)
    expect(refusedBoard.stderr).toContain('InviteRevokedError')

    const after = await mutualJson<Listed>(['invites', '--json', '--home', a.home])
    expect(after.invites.map((i) => i.status)).toEqual(['revoked', 'revoked'])
    const unknown = await mutual(['invite', 'revoke', 'no-such-invite', '--home', a.home])
    expect(unknown.code).toBe(4)
    expect(unknown.stderr).toContain('UnknownInviteError')
  })
})
