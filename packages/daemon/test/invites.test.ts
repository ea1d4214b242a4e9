import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cidOf, encode, generateIdentity } from '@mutual/protocol'
import { TICKET_PREFIX, decodeTicket, encodeTicket, type Ticket } from '@mutual/daemon'
import { type TestDaemon, apiJson, eventually, startTestDaemon } from './helpers.js'

/** Invite tickets, and joining a board with one between two daemons over real libp2p on loopback. */

async function ticketFixture (): Promise<Ticket> {
  const inviter = (await generateIdentity()).id
  return {
    v: 1,
    kind: 'board',
    space: cidOf(encode({ board: 1 })).toString(),
    addrs: [`/ip4/127.0.0.1/tcp/4001/p2p/${inviter}`],
    inviter,
    id: 'abc_DEF-123',
    secret: new Uint8Array(16).fill(7),
    expires: Date.now() + 60_000
  }
}

describe('tickets', () => {
  it('round-trip as one copy-pasteable string', async () => {
    const ticket = await ticketFixture()
    const text = encodeTicket(ticket)
    expect(text.startsWith(TICKET_PREFIX)).toBe(true)
    expect(text).toMatch(/^mutual1:[A-Za-z0-9_-]+$/)
    expect(decodeTicket(`  ${text}\n`)).toEqual(ticket)
  })

  it('refuse anything else with InvalidTicketError', async () => {
    const ticket = await ticketFixture()
    const text = encodeTicket(ticket)
    const bad = [
      '', 'hello', text.replace('mutual1:', 'mutual2:'), `${text}$`, text.slice(0, 20),
      encodeTicket({ ...ticket, secret: new Uint8Array(8) }),
      encodeTicket({ ...ticket, addrs: [] }),
      encodeTicket({ ...ticket, addrs: ['/ip4/127.0.0.1/tcp/1'] }),
      encodeTicket({ ...ticket, inviter: 'someone' }),
      encodeTicket({ ...ticket, space: 'not-a-cid' }),
      encodeTicket({ ...ticket, v: 2 as 1 }),
      encodeTicket({ ...ticket, extra: true } as Ticket),
      TICKET_PREFIX + 'A'.repeat(9000)
    ]
    for (const t of bad) expect(() => decodeTicket(t), t.slice(0, 40)).toThrow(expect.objectContaining({ name: 'InvalidTicketError' }))
  })

  it('refuse a ticket of the first layout, which did not name its kind, with OutdatedTicketError', async () => {
    const { kind: _kind, ...first } = await ticketFixture()
    const old = TICKET_PREFIX + Buffer.from(encode(first)).toString('base64url')
    expect(() => decodeTicket(old)).toThrow(expect.objectContaining({ name: 'OutdatedTicketError', message: expect.stringMatching(/ask the inviter for a new one/) }))
    const oldOrg = TICKET_PREFIX + Buffer.from(encode({ ...first, kind: 'org' })).toString('base64url')
    expect(decodeTicket(oldOrg).kind).toBe('org')
  })
})

describe('joining a board with a ticket', () => {
  let a: TestDaemon
  let b: TestDaemon
  let c: TestDaemon
  let board: string

  const call = async (d: TestDaemon, method: string, path: string, body?: unknown): Promise<{ status: number, body: any }> =>
    await apiJson(d, `/api/v1${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })
  const invite = async (options: { expiresInSeconds?: number, uses?: number } = {}): Promise<{ ticket: string, id: string }> =>
    (await call(a, 'POST', `/boards/${board}/invites`, options)).body

  beforeAll(async () => {
    ;[a, b, c] = await Promise.all([startTestDaemon(), startTestDaemon(), startTestDaemon()])
    board = (await call(a, 'POST', '/boards', { name: 'Shared' })).body.board
  })

  afterAll(async () => {
    await Promise.all([a, b, c].map(async (d) => await d?.dispose()))
  })

  it('grants the joiner, who then writes the board with the creator', async () => {
    const { ticket, id } = await invite()
    const joined = await call(b, 'POST', '/join', { ticket })
    expect(joined.status, JSON.stringify(joined.body)).toBe(200)
    expect(joined.body).toMatchObject({ board, name: 'Shared', grant: expect.stringMatching(/^bafy/) })
    expect((await call(a, 'GET', `/boards/${board}`)).body.writers).toEqual([b.identity.id])
    expect((await call(a, 'GET', `/boards/${board}/invites`)).body.invites).toEqual([expect.objectContaining({ id, used: 1, uses: 1, status: 'used' })])

    const detail = (await call(b, 'GET', `/boards/${board}`)).body
    expect(detail).toMatchObject({ name: 'Shared', creator: a.identity.id, writers: [b.identity.id], writable: true })
    const task = await call(b, 'POST', `/boards/${board}/tasks`, { title: 'from b' })
    expect(task.status).toBe(201)
    await eventually(async () => (await call(a, 'GET', `/boards/${board}/tasks`)).body.tasks.some((t: any) => t.title === 'from b'), 10_000, 'b\'s task to reach a')
    expect((await call(b, 'GET', `/boards/${board}`)).body.sync.peers).toEqual([a.identity.id])
  })

  it('refuses a used invite (410 InviteUsedError) and a revoked one (410 InviteRevokedError)', async () => {
    const once = await invite()
    expect((await call(c, 'POST', '/join', { ticket: once.ticket })).status).toBe(200)
    const again = await call(b, 'POST', '/join', { ticket: once.ticket })
    expect(again.body).toMatchObject({ status: 410, name: 'InviteUsedError' })

    const revoked = await invite({ uses: 5 })
    await call(a, 'DELETE', `/boards/${board}/invites/${revoked.id}`)
    const refused = await call(b, 'POST', '/join', { ticket: revoked.ticket })
    expect(refused.body).toMatchObject({ status: 410, name: 'InviteRevokedError' })
    expect(refused.body.detail).toMatch(/revoked/)
  })

  it('refuses a forged secret (404 UnknownInviteError), an expired ticket (410) and an unreachable inviter (502)', async () => {
    const real = decodeTicket((await invite({ uses: 3 })).ticket)
    const forged = encodeTicket({ ...real, secret: new Uint8Array(16) })
    expect((await call(b, 'POST', '/join', { ticket: forged })).body).toMatchObject({ status: 404, name: 'UnknownInviteError' })

    const short = await invite({ expiresInSeconds: 1 })
    // Polled, never redeemed: a join before the expiry would take the invite's one use.
    await eventually(async () => (await call(a, 'GET', `/boards/${board}/invites`)).body.invites.find((i: any) => i.id === short.id)?.status === 'expired', 5_000, 'the invite to expire')
    expect((await call(b, 'POST', '/join', { ticket: short.ticket })).body).toMatchObject({ status: 410, name: 'InviteExpiredError' })

    const stranger = (await generateIdentity()).id
    const unreachable = encodeTicket({ ...real, inviter: stranger, addrs: [`/ip4/127.0.0.1/tcp/1/p2p/${stranger}`] })
    expect((await call(b, 'POST', '/join', { ticket: unreachable })).body).toMatchObject({ status: 502, name: 'DialError' })
    // The real invite still has all its uses.
    const listed = (await call(a, 'GET', `/boards/${board}/invites`)).body.invites.find((i: any) => i.id === real.id)
    expect(listed).toMatchObject({ used: 0, uses: 3, status: 'active' })
  })

  it('lets only the creator invite', async () => {
    const res = await call(b, 'POST', `/boards/${board}/invites`, {})
    expect(res.body).toMatchObject({ status: 403, name: 'UnauthorizedError' })
  })
})
