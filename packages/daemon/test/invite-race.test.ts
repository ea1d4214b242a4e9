import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestDaemon, apiJson, startTestDaemon } from './helpers.js'

/**
 * An invite is never redeemed more often than it allows, however many redeem it at once: five
 * daemons, each a real libp2p node on loopback, join with one two-use ticket at the same moment.
 */

const JOINERS = 5
const USES = 2

describe('concurrent redemption', () => {
  let inviter: TestDaemon
  let joiners: TestDaemon[]
  beforeAll(async () => {
    ;[inviter, ...joiners] = await Promise.all(Array.from({ length: JOINERS + 1 }, async () => await startTestDaemon()))
  }, 60_000)
  afterAll(async () => { await Promise.all([inviter, ...joiners].map(async (d) => await d?.dispose())) })

  const call = async (d: TestDaemon, method: string, path: string, body?: unknown): Promise<{ status: number, body: any }> =>
    await apiJson(d, `/api/v1${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })

  it(`grants exactly ${USES} of ${JOINERS} simultaneous joiners; the rest are told it is used`, async () => {
    const board = (await call(inviter, 'POST', '/boards', { name: 'race' })).body.board as string
    const { ticket, id } = (await call(inviter, 'POST', `/boards/${board}/invites`, { uses: USES })).body
    const answers = await Promise.all(joiners.map(async (j) => await call(j, 'POST', '/join', { ticket })))
    const won = answers.filter((a) => a.status === 200)
    const lost = answers.filter((a) => a.status !== 200)
    expect(won).toHaveLength(USES)
    for (const a of lost) expect(a.body).toMatchObject({ status: 410, name: 'InviteUsedError' })

    const listed = (await call(inviter, 'GET', `/boards/${board}/invites`)).body.invites.find((i: any) => i.id === id)
    expect(listed).toMatchObject({ used: USES, uses: USES, status: 'used' })
    // The inviter granted the winners and no one else.
    const winners = joiners.filter((_, i) => answers[i].status === 200).map((j) => j.identity.id).sort()
    const shown = (await call(inviter, 'GET', `/boards/${board}`)).body
    expect([...shown.writers].sort()).toEqual(winners)
  }, 60_000)
})
