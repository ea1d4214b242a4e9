import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateIdentity, type Identity } from '@mutual/protocol'
import { createOrg, grantRefs, issueCredential } from '@mutual/org'
import { periodOf } from '@mutual/ledger'
import { apiJson, startTestDaemon, type TestDaemon } from './helpers.js'

const PERIOD = periodOf([Date.now(), 0])

describe('ledger API', () => {
  let d: TestDaemon
  let bob: Identity
  let org: string
  let ledger: string
  let bobWork: string

  const post = async (path: string, body: unknown): Promise<{ status: number, type: string | null, body: any }> =>
    await apiJson(d, path, { method: 'POST', body: JSON.stringify(body) })
  const count = async (): Promise<number> => {
    let n = 0
    for await (const _ of d.log.spaceEntries(ledger)) n++
    return n
  }
  const refused = async (path: string, body: unknown, name: string, status: number): Promise<void> => {
    const before = await count()
    const res = await post(path, body)
    expect(res.type).toContain('application/problem+json')
    expect(res.body.name).toBe(name)
    expect(res.status).toBe(status)
    expect(await count()).toBe(before)
  }

  beforeAll(async () => {
    d = await startTestDaemon()
    bob = await generateIdentity()
    org = (await createOrg(d.log, d.identity, 'acme')).space
    await issueCredential(d.log, d.identity, org, { member: d.identity.id, roles: ['member'], kind: 'person' })
    await issueCredential(d.log, d.identity, org, { member: bob.id, roles: ['member'], kind: 'person' })
    const created = await post(`/api/v1/orgs/${org}/ledger`, {})
    expect(created.status).toBe(201)
    ledger = created.body.ledger
    const work = await d.log.append(bob, ledger, 'contrib/record', {
      task: 'landing', kind: 'work', effort: 2000, summary: 'landing page', evidence: [], period: PERIOD
    }, await grantRefs(d.log, ledger, bob.id))
    bobWork = work.id.toString()
  }, 30_000)

  afterAll(async () => { await d?.dispose() })

  it('lists the ledger and its org', async () => {
    const res = await apiJson(d, '/api/v1/ledgers')
    expect(res.body.ledgers).toEqual([{ ledger, name: 'ledger', org }])
  })

  it('records a contribution of this node', async () => {
    const res = await post(`/api/v1/ledgers/${ledger}/contributions`, { kind: 'coordination', effort: 500, summary: 'planning', task: 'plan' })
    expect(res.status).toBe(201)
    expect(res.body.entry.type).toBe('contrib/record')
    expect(res.body.entry.body.period).toBe(PERIOD)
  })

  it('refuses an attestation by a non-reviewer, storing nothing', async () => {
    await refused(`/api/v1/ledgers/${ledger}/attestations`, { contribution: bobWork, verdict: 'accept', quality: 4 }, 'NotReviewerError', 403)
  })

  it('refuses feedback from a non-consumer', async () => {
    await refused(`/api/v1/ledgers/${ledger}/feedback`, { task: 'landing', satisfaction: 5 }, 'NotConsumerError', 403)
  })

  it('refuses a record outside the period', async () => {
    await refused(`/api/v1/ledgers/${ledger}/contributions`, { kind: 'work', effort: 1, summary: 'old', period: '2020-01' }, 'OutsidePeriodError', 400)
  })

  it('refuses self-attestation once a reviewer, and accepts attesting another', async () => {
    await issueCredential(d.log, d.identity, org, { member: d.identity.id, roles: ['member', 'reviewer', 'consumer'], kind: 'person' })
    const mine = (await apiJson(d, `/api/v1/ledgers/${ledger}/contributions?period=${PERIOD}`)).body.contributions
      .find((c: any) => c.author === d.identity.id)
    await refused(`/api/v1/ledgers/${ledger}/attestations`, { contribution: mine.id, verdict: 'accept', quality: 5 }, 'SelfAttestationError', 403)
    const ok = await post(`/api/v1/ledgers/${ledger}/attestations`, { contribution: bobWork, verdict: 'accept', quality: 4 })
    expect(ok.status).toBe(201)
    const fb = await post(`/api/v1/ledgers/${ledger}/feedback`, { task: 'landing', satisfaction: 5 })
    expect(fb.status).toBe(201)
    await refused(`/api/v1/ledgers/${ledger}/feedback`, { task: 'landing', satisfaction: 1 }, 'DuplicateFeedbackError', 409)
    const show = await apiJson(d, `/api/v1/ledgers/${ledger}/contributions/${bobWork}`)
    expect(show.body.attestations).toHaveLength(1)
  })

  it('computes shares, settles and verifies; an added input fails verification', async () => {
    const shares = await apiJson(d, `/api/v1/ledgers/${ledger}/shares?period=${PERIOD}&explain=true`)
    expect(shares.status).toBe(200)
    expect(shares.body.policy.default).toBe(true)
    expect(shares.body.shares).toEqual([{ participant: bob.id, ppm: 1_000_000, agents: [] }])
    expect(shares.body.distribution.contributions.length).toBe(2)
    const settled = await post(`/api/v1/ledgers/${ledger}/settlements`, { period: PERIOD })
    expect(settled.status).toBe(201)
    expect(settled.body.hash).toBe(shares.body.hash)
    const id = settled.body.entry.id
    const ok = await apiJson(d, `/api/v1/ledgers/${ledger}/settlements/${id}/verify`)
    expect(ok.body).toMatchObject({ ok: true, missing: [], extra: [] })
    const late = await post(`/api/v1/ledgers/${ledger}/contributions`, { kind: 'work', effort: 10, summary: 'late' })
    const bad = await apiJson(d, `/api/v1/ledgers/${ledger}/settlements/${id}/verify`)
    expect(bad.body.ok).toBe(false)
    expect(bad.body.extra).toEqual([late.body.entry.id])
  })

  it('answers a space that is not a ledger with NotALedgerError', async () => {
    const res = await apiJson(d, `/api/v1/ledgers/${org}/shares`)
    expect(res.status).toBe(404)
    expect(res.body.name).toBe('NotALedgerError')
  })
})
