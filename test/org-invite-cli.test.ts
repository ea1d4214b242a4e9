import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildOnce, cleanup, mutual, mutualJson, ok, startDaemon, tempHome, type DaemonProcess } from './cli/helpers.js'

/** `mutual invite <org>` and `mutual join <ticket>`: two real daemons, driven only through the CLI. */

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

describe('inviting into an organization through the CLI', () => {
  it('the joiner redeems a ticket for a credential with the invited roles', async () => {
    const org = await ok(a, ['org', 'create', 'Acme'])
    const ticket = await ok(a, ['invite', org, '--roles', 'member,reviewer', '--expires', '1h', '--uses', '1'])
    expect(ticket).toMatch(/^mutual1:/)
    expect(await ok(b, ['join', ticket])).toBe(org)
    const members = await mutualJson<{ members: Array<{ id: string, roles: string[] }> }>(['org', 'members', org, '--json', '--home', a.home])
    // Admins are members: the founder is listed with the admin role beside the one they invited.
    expect(members.members).toEqual([expect.objectContaining({ id: a.ready.id, roles: ['admin'] }), expect.objectContaining({ id: b.ready.id, roles: ['member', 'reviewer'] })])

    const again = await mutual(['join', ticket, '--home', b.home])
    expect(again.code, again.stderr).toBe(4)
    expect(again.stdout).toBe('')
    expect(again.stderr).toContain('InviteUsedError')
    expect((await mutual(['invite', org, '--roles', 'admin', '--home', a.home])).code).toBe(2)
  })
})
