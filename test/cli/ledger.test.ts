import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { periodOf } from '@mutual/ledger'
import { buildOnce, cleanup, cliJson, eventually, mutual, ok, startDaemon, tempHome, type DaemonProcess, type JsonResult } from './helpers.js'

/**
 * `mutual contrib`, `dispute` and `shares` end to end: two real `mutual daemon` processes, Alice
 * (the org's founder) and Bob (a member), driven through the built CLI.
 */

const PERIOD = periodOf([Date.now(), 0])

let alice: DaemonProcess
let bob: DaemonProcess
let bobWork: string

/** The last JSON line on stderr (the error with --json); other lines are messages for people. */
/** `mutual --json <args>` on Alice's daemon: exit code, stdout as JSON, the error from stderr. */
const cli = async (...args: string[]): Promise<JsonResult> => await cliJson(alice.home, args)

beforeAll(async () => {
  buildOnce()
  ;[alice, bob] = await Promise.all([startDaemon(tempHome()), startDaemon(tempHome())])
  await ok(bob, ['connect', alice.ready.addresses[0]])
  const org = await ok(alice, ['org', 'create', 'acme'])
  await ok(alice, ['org', 'grant', org, alice.ready.id, '--role', 'member', '--role', 'reviewer', '--role', 'consumer'])
  await ok(alice, ['org', 'grant', org, bob.ready.id, '--role', 'member'])
  const ledger = await ok(alice, ['org', 'ledger', org])
  await ok(bob, ['space', 'join', org])
  await ok(bob, ['space', 'join', ledger])
  await eventually(async () => (await mutual(['contrib', 'list', '--home', bob.home])).code === 0, 20_000, 'the ledger at Bob')
  bobWork = await ok(bob, ['contrib', 'record', 'wrote the docs', '--effort', '1500', '--task', 'docs'])
  await eventually(async () => (await mutual(['contrib', 'show', bobWork, '--home', alice.home])).code === 0, 20_000, 'Bob\'s work at Alice')
}, 120_000)

afterAll(async () => {
  try {
    for (const d of [alice, bob]) if (d !== undefined) expect(await d.stop()).toBe(0)
  } finally {
    cleanup()
  }
})

describe('mutual contrib / dispute / shares', () => {
  it('records, attests, rates, endorses, lists and shows', async () => {
    const mine = await cli('contrib', 'record', 'reviewed the docs', '--effort', '300', '--kind', 'review', '--task', 'docs')
    expect(mine.code).toBe(0)
    expect(mine.out.entry.body).toMatchObject({ kind: 'review', effort: 300, period: PERIOD })
    expect((await cli('contrib', 'attest', bobWork, '--quality', '4')).code).toBe(0)
    expect((await cli('contrib', 'endorse', bobWork)).code).toBe(0)
    expect((await cli('contrib', 'feedback', 'docs', '--satisfaction', '5')).code).toBe(0)
    const list = await cli('contrib', 'list', '--period', PERIOD)
    expect(list.code).toBe(0)
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
    expect(shares.out.shares.map((s: any) => s.participant)).toEqual([bob.ready.id])
    expect(shares.out.distribution.contributions).toHaveLength(2)
    const settled = await cli('shares', 'settle', '--period', PERIOD)
    expect(settled.code).toBe(0)
    expect(settled.out.hash).toBe(shares.out.hash)
    const verified = await cli('shares', 'verify', settled.out.entry.id)
    expect(verified).toMatchObject({ code: 0, out: { ok: true } })
    expect((await cli('contrib', 'record', 'late work', '--effort', '10')).code).toBe(0)
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
    const result = await cli('shares', '--period', 'March')
    expect(result.code).toBe(2)
    expect(result.out).toBeUndefined()
  })
})
