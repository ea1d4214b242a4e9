import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { generateIdentity, type Identity } from '@mutual/protocol'
import { createOrg, grantRefs, issueCredential } from '@mutual/org'
import { periodOf } from '@mutual/ledger'
// The CLI against an in-process daemon whose org is set up through its log (no org routes needed).
import { main } from '@mutual/cli'
import { apiJson, startTestDaemon, type TestDaemon } from '../../packages/daemon/test/helpers.js'

const PERIOD = periodOf([Date.now(), 0])

/** The last JSON line on stderr (the error with --json); other lines are messages for people. */
function lastJson (text: string): any {
  const line = text.split('\n').filter((l) => l.startsWith('{')).at(-1)
  return line === undefined ? undefined : JSON.parse(line)
}

describe('mutual contrib / dispute / shares', () => {
  let d: TestDaemon
  let bob: Identity
  let bobWork: string

  const cli = async (...args: string[]): Promise<{ code: number, out: any, err: any }> => {
    let stdout = ''
    let stderr = ''
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { stdout += String(chunk); return true })
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { stderr += String(chunk); return true })
    try {
      const code = await main(['node', 'mutual', '--home', d.home, '--json', ...args])
      return { code, out: stdout === '' ? undefined : JSON.parse(stdout), err: lastJson(stderr) }
    } finally {
      out.mockRestore()
      err.mockRestore()
    }
  }

  beforeAll(async () => {
    d = await startTestDaemon()
    bob = await generateIdentity()
    const org = (await createOrg(d.log, d.identity, 'acme')).space
    await issueCredential(d.log, d.identity, org, { member: d.identity.id, roles: ['member', 'reviewer', 'consumer'], kind: 'person' })
    await issueCredential(d.log, d.identity, org, { member: bob.id, roles: ['member'], kind: 'person' })
    const ledger = (await apiJson(d, `/api/v1/orgs/${org}/ledger`, { method: 'POST', body: '{}' })).body.ledger as string
    bobWork = (await d.log.append(bob, ledger, 'contrib/record', {
      task: 'docs', kind: 'work', effort: 1500, summary: 'wrote the docs', evidence: [], period: PERIOD
    }, await grantRefs(d.log, ledger, bob.id))).id.toString()
  }, 30_000)

  afterAll(async () => { await d?.dispose() })

  it('records, attests, rates, endorses, lists and shows', async () => {
    const mine = await cli('contrib', 'record', 'reviewed the docs', '--effort', '300', '--kind', 'review', '--task', 'docs')
    expect(mine.code).toBe(0)
    expect(mine.out.entry.body).toMatchObject({ kind: 'review', effort: 300, period: PERIOD })
    expect((await cli('contrib', 'attest', bobWork, '--quality', '4')).code).toBe(0)
    expect((await cli('contrib', 'endorse', bobWork)).code).toBe(0)
    expect((await cli('contrib', 'feedback', 'docs', '--satisfaction', '5')).code).toBe(0)
    const list = await cli('contrib', 'list', '--period', PERIOD)
    expect(list.out.contributions).toHaveLength(2)
    const show = await cli('contrib', 'show', bobWork)
    expect(show.out.attestations).toHaveLength(1)
    expect(show.out.endorsements).toHaveLength(1)
    const self = await cli('contrib', 'attest', mine.out.entry.id, '--quality', '5')
    expect(self.code).toBe(4)
    expect(self.err.error.name).toBe('SelfAttestationError')
  })

  it('shows shares, settles, verifies, and fails verification once an input is added', async () => {
    const shares = await cli('shares', '--period', PERIOD, '--explain')
    expect(shares.code).toBe(0)
    expect(shares.out.shares.map((s: any) => s.participant)).toEqual([bob.id])
    expect(shares.out.distribution.contributions).toHaveLength(2)
    const settled = await cli('shares', 'settle', '--period', PERIOD)
    expect(settled.code).toBe(0)
    expect(settled.out.hash).toBe(shares.out.hash)
    const ok = await cli('shares', 'verify', settled.out.entry.id)
    expect(ok).toMatchObject({ code: 0, out: { ok: true } })
    await cli('contrib', 'record', 'late work', '--effort', '10')
    const bad = await cli('shares', 'verify', settled.out.entry.id)
    expect(bad.code).toBe(1)
    expect(bad.out.ok).toBe(false)
    expect(bad.err.error.name).toBe('SettlementMismatchError')
  })

  it('opens and resolves a dispute (the founder resolves as admin)', async () => {
    const opened = await cli('dispute', 'open', bobWork, '--reason', 'copied')
    expect(opened.code).toBe(0)
    const resolved = await cli('dispute', 'resolve', opened.out.entry.id, 'dismissed', '--note', 'original work')
    expect(resolved.code).toBe(0)
    expect(resolved.out.entry.body).toMatchObject({ outcome: 'dismissed' })
  })

  it('refuses a malformed period as a usage error', async () => {
    expect((await cli('shares', '--period', 'March')).code).toBe(2)
  })
})
