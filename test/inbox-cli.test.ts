import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, buildOnce, cleanup, eventually, mutual, mutualJson, ok, startDaemon, tempHome, type DaemonProcess } from './cli/helpers.js'

/**
 * The inbox end to end: three real daemons — Alice (the org's founder, who announces on a
 * market), Bob (a member) and Carol (a member and auditor) — driven through the built CLI. Each
 * kind of item arrives in the right person's inbox and in no one else's; unread counts, marking
 * read (kept across a restart), the `inbox.item` event, and bad input refused with nothing changed.
 */

interface Item { id: string, kind: string, actor: { id: string, name: string }, board?: string, task?: string, space: string, text: string, read: boolean, contribution?: string }
interface Inbox { items: Item[], unread: number, total: number }

let alice: DaemonProcess
let bob: DaemonProcess
let carol: DaemonProcess
let board: string
let spec: string
let ship: string
let market: string

const inbox = async (d: DaemonProcess, ...args: string[]): Promise<Inbox> => await mutualJson<Inbox>(['inbox', '--home', d.home, ...args])
const kinds = (box: Inbox): string[] => box.items.map((i) => i.kind).sort()

/** Polls until `d`'s inbox holds exactly these kinds (sorted), then returns it. */
async function holds (d: DaemonProcess, expected: string[]): Promise<Inbox> {
  let last: Inbox | undefined
  await eventually(async () => {
    last = await inbox(d)
    return JSON.stringify(kinds(last)) === JSON.stringify([...expected].sort())
  }, 40_000, `an inbox of ${expected.join(', ')}`).catch((err: Error) => { throw new Error(`${err.message}; last: ${JSON.stringify(last === undefined ? [] : kinds(last))}`) })
  return last as Inbox
}

async function until (d: DaemonProcess, args: string[], check: (out: any) => boolean, what: string): Promise<any> {
  let out: any
  await eventually(async () => {
    const r = await mutual([...args, '--home', d.home, '--json'])
    if (r.code !== 0) return false
    out = JSON.parse(r.stdout)
    return check(out)
  }, 40_000, what)
  return out
}

beforeAll(async () => {
  buildOnce()
  ;[alice, bob, carol] = await Promise.all([0, 1, 2].map(async () => await startDaemon(tempHome())))
  const org = await ok(alice, ['org', 'create', 'Acme'])
  board = await ok(alice, ['board', 'create', 'Launch', '--org', org])
  await ok(alice, ['org', 'ledger', org])
  const ticket = await ok(alice, ['invite', org, '--uses', '2'])
  for (const d of [bob, carol]) expect(await ok(d, ['join', ticket])).toBe(org)
  await ok(alice, ['org', 'grant', org, carol.ready.id, '--role', 'member', '--role', 'auditor', '--role', 'reviewer'])
  market = await ok(alice, ['market', 'create', 'Jobs'])
  for (const d of [bob, carol]) await ok(d, ['space', 'join', market])
  await ok(bob, ['profile', 'set', '--name', 'Bob Builder'])
  await ok(carol, ['profile', 'set', '--name', 'Carol'])
  await ok(alice, ['profile', 'set', '--name', 'Alice'])
  spec = await ok(alice, ['task', 'add', board, 'Write the spec'])
  ship = await ok(bob, ['task', 'add', board, 'Ship it'])
  for (const d of [alice, bob, carol]) {
    await until(d, ['task', 'list', board], (out) => JSON.stringify(out).includes(spec) && JSON.stringify(out).includes(ship), 'both tasks everywhere')
  }
}, 240_000)

afterAll(async () => {
  try {
    for (const d of [alice, bob, carol]) if (d !== undefined) expect(await d.stop()).toBe(0)
  } finally {
    cleanup()
  }
})

describe('mutual inbox', () => {
  it('each kind of item reaches the right person, and no one else', async () => {
    // Claims: Alice holds the spec, Bob's later claim is behind hers; Carol claims Bob's task, which he then releases.
    await ok(alice, ['task', 'claim', board, spec])
    await until(bob, ['task', 'show', board, spec], (t) => t.task.holder === alice.ready.id, 'Alice\'s claim at Bob')
    // A claim behind an earlier one is signed all the same, and the CLI says so (exit 4).
    expect((await mutual(['task', 'claim', board, spec, '--home', bob.home])).code).toBe(4)
    await ok(bob, ['task', 'claim', board, ship])
    await until(carol, ['task', 'show', board, ship], (t) => t.task.holder === bob.ready.id, 'Bob\'s claim at Carol')
    expect((await mutual(['task', 'claim', board, ship, '--home', carol.home])).code).toBe(4)
    await holds(bob, ['claim.lost', 'claim.contested'])
    await ok(bob, ['task', 'release', board, ship])

    // The market: Alice announces, Bob and Carol apply, Alice accepts Bob and declines Carol.
    const announcement = await ok(alice, ['market', 'announce', market, 'Fix the roof', '--board', board, '--task', spec])
    await until(bob, ['market', 'list', market], (m) => JSON.stringify(m).includes(announcement), 'the announcement at Bob')
    await until(carol, ['market', 'list', market], (m) => JSON.stringify(m).includes(announcement), 'the announcement at Carol')
    const bobApp = await ok(bob, ['market', 'apply', market, announcement, '--note', 'I have a ladder'])
    const carolApp = await ok(carol, ['market', 'apply', market, announcement])
    await until(alice, ['market', 'list', market], (m) => JSON.stringify(m).includes(bobApp) && JSON.stringify(m).includes(carolApp), 'both applications at Alice')
    await ok(alice, ['market', 'accept', market, bobApp, '--reason', 'has a ladder'])
    await ok(alice, ['market', 'decline', market, carolApp, '--reason', 'one roofer is enough'])

    // The ledger: Alice disputes Bob's contribution, Carol (an auditor) dismisses the dispute.
    await until(bob, ['contrib', 'list'], () => true, 'the ledger at Bob')
    const work = await ok(bob, ['contrib', 'record', 'wrote the docs', '--effort', '100'])
    await until(alice, ['contrib', 'show', work], () => true, 'Bob\'s contribution at Alice')
    const dispute = await ok(alice, ['dispute', 'open', work, '--reason', 'the numbers are off'])
    await until(carol, ['contrib', 'show', work], (c) => JSON.stringify(c).includes(dispute), 'the dispute at Carol')
    await ok(carol, ['dispute', 'resolve', dispute, 'dismissed', '--note', 'the numbers add up'])

    // A contribution recorded from a done task asks the org's reviewers (Carol) to attest it.
    const copy = await ok(bob, ['task', 'add', board, 'Proofread the copy', '--estimate', '2'])
    await ok(bob, ['task', 'claim', board, copy])
    for (const state of ['doing', 'review', 'done']) await ok(bob, ['task', 'move', board, copy, state])
    const fromTask = await ok(bob, ['contrib', 'record', '--task', copy, '--board', board])

    // Alice, the org's admin, assigns Bob a task.
    const plan = await ok(alice, ['task', 'add', board, 'Plan the launch'])
    await ok(alice, ['task', 'assign', board, plan, bob.ready.id])

    // Mentions, by profile name (any case, spaces allowed); a name nobody has mentions nobody.
    await ok(carol, ['task', 'comment', board, spec, '@Bob Builder can you look? cc @nobody'])
    await ok(alice, ['task', 'comment', board, spec, 'thanks @carol!'])

    const a = await holds(alice, ['claim.contested', 'application.received', 'application.received', 'dispute.resolved'])
    const b = await holds(bob, ['task.assigned', 'claim.lost', 'application.accepted', 'dispute.opened', 'dispute.resolved', 'mention'])
    const c = await holds(carol, ['claim.won', 'application.declined', 'attestation.requested', 'mention'])

    const one = (box: Inbox, kind: string): Item => box.items.find((i) => i.kind === kind) as Item
    expect(one(a, 'claim.contested')).toMatchObject({ actor: { id: bob.ready.id, name: 'Bob Builder' }, board, task: spec })
    expect(a.items.filter((i) => i.kind === 'application.received').map((i) => i.actor.id).sort()).toEqual([bob.ready.id, carol.ready.id].sort())
    expect(one(a, 'dispute.resolved')).toMatchObject({ actor: { id: carol.ready.id }, contribution: work })
    expect(one(b, 'claim.lost')).toMatchObject({ actor: { id: alice.ready.id, name: 'Alice' }, board, task: spec })
    expect(one(b, 'claim.lost').text).toBe('Alice holds "Write the spec" by an earlier claim; yours waits behind it')
    expect(one(b, 'application.accepted')).toMatchObject({ actor: { id: alice.ready.id }, space: market, board, task: spec, text: 'Alice accepted your application to "Fix the roof": has a ladder' })
    expect(one(b, 'dispute.opened')).toMatchObject({ actor: { id: alice.ready.id }, contribution: work, text: 'Alice disputed your contribution "wrote the docs": the numbers are off' })
    expect(one(b, 'dispute.resolved').text).toBe('Carol resolved the dispute on "wrote the docs": dismissed: the numbers add up')
    expect(one(b, 'task.assigned')).toMatchObject({ actor: { id: alice.ready.id }, board, task: plan, text: 'Alice assigned "Plan the launch" to you' })
    expect(one(b, 'mention')).toMatchObject({ actor: { id: carol.ready.id, name: 'Carol' }, board, task: spec })
    expect(one(c, 'claim.won')).toMatchObject({ actor: { id: bob.ready.id }, board, task: ship, text: 'Bob Builder released "Ship it"; you hold it now' })
    expect(one(c, 'application.declined').text).toBe('Alice declined your application to "Fix the roof": one roofer is enough')
    expect(one(c, 'mention')).toMatchObject({ actor: { id: alice.ready.id }, task: spec })
    expect(one(c, 'attestation.requested')).toMatchObject({ actor: { id: bob.ready.id }, contribution: fromTask, board, task: copy, text: 'Bob Builder asked you to attest their contribution "Proofread the copy"' })
    for (const box of [a, b, c]) {
      expect(box.unread).toBe(box.items.length)
      expect(box.items.every((i) => !i.read)).toBe(true)
    }

    // Once Carol attests, nothing needs her there.
    await ok(carol, ['contrib', 'attest', fromTask, '--quality', '4'])
    await holds(carol, ['claim.won', 'application.declined', 'mention'])

    // For people: a table with names beside the ids.
    const table = await mutual(['inbox', '--home', bob.home])
    expect(table.code).toBe(0)
    expect(table.stderr).toContain('6 items, 6 unread')
    expect(table.stdout).toMatch(/^ITEM\s+STATE\s+KIND\s+WHEN\s+FROM\s+WHAT$/m)
    expect(table.stdout).toMatch(/unread\s+mention\s+\S+\s+Carol \(12D3KooW\S+\)\s+Carol mentioned you on "Write the spec": @Bob Builder can you look\? cc @nobody$/m)
  }, 240_000)

  it('counts unread items, marks them read (one, several, all) and keeps the marks across a restart', async () => {
    const before = await inbox(bob)
    const [first, second, third] = before.items
    expect((await mutualJson(['inbox', 'mark-read', first.id, '--home', bob.home])).unread).toBe(before.unread - 1)
    const unread = await inbox(bob, '--unread')
    expect(unread.items.map((i) => i.id)).not.toContain(first.id)
    expect(unread.items).toHaveLength(before.unread - 1)
    expect((await inbox(bob)).items.find((i) => i.id === first.id)?.read).toBe(true)
    const several = await mutualJson(['inbox', 'mark-read', second.id, third.id, '--home', bob.home])
    expect(several.marked.sort()).toEqual([second.id, third.id].sort())
    expect((await api(bob, 'GET', '/inbox/count')).body).toEqual({ unread: before.unread - 3, total: before.total })
    // Another node's read marks are its own.
    expect((await inbox(carol)).unread).toBe((await inbox(carol)).total)

    const all = await mutual(['inbox', 'mark-read', '--all', '--home', bob.home])
    expect(all.code).toBe(0)
    expect(all.stderr).toContain(`marked ${before.unread - 3} items read; 0 unread`)
    expect((await inbox(bob, '--unread')).items).toEqual([])

    expect(await bob.stop()).toBe(0)
    bob = await startDaemon(bob.home)
    await ok(bob, ['connect', alice.ready.addresses[0]])
    const again = await inbox(bob)
    expect(again.total).toBe(before.total)
    expect(again.unread).toBe(0)
  }, 120_000)

  it('a new item arrives unread, with an inbox.item event', async () => {
    const { url, token } = JSON.parse(readFileSync(join(bob.home, 'api'), 'utf8')) as { url: string, token: string }
    const controller = new AbortController()
    const res = await fetch(`${url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal })
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    const decoder = new TextDecoder()
    let seen = ''
    const event = (async () => {
      while (!seen.includes('event: inbox.item')) {
        const { value, done } = await reader.read()
        if (done) throw new Error('the event stream ended')
        seen += decoder.decode(value, { stream: true })
      }
    })()
    await ok(carol, ['task', 'comment', board, ship, '@bob builder: shipped?'])
    await event
    controller.abort()
    const data = JSON.parse(/event: inbox\.item\ndata: (.*)\n/.exec(seen)?.[1] ?? 'null')
    expect(data.item).toMatchObject({ kind: 'mention', task: ship, read: false, actor: { id: carol.ready.id, name: 'Carol' } })
    expect(data.unread).toBe(1)
    expect((await api(bob, 'GET', '/inbox/count')).body.unread).toBe(1)
  }, 120_000)

  it('refuses bad input with a named error and changes nothing', async () => {
    const before = await inbox(bob)
    const unread = before.items.find((i) => !i.read) as Item
    const unknown = await mutual(['inbox', 'mark-read', 'zzzzzzzzzzz2', '--home', bob.home])
    expect(unknown.code).toBe(4)
    expect(unknown.stderr).toContain('UnknownInboxItemError')
    // One unknown id among known ones: none is marked.
    const mixed = await mutual(['inbox', 'mark-read', unread.id, 'zzzzzzzzzzz2', '--home', bob.home, '--json'])
    expect(mixed.code).toBe(4)
    expect(JSON.parse(mixed.stderr).error).toMatchObject({ name: 'UnknownInboxItemError', exitCode: 4 })
    const kind = await mutual(['inbox', '--kind', 'claim.lost,bogus', '--home', bob.home])
    expect(kind.code).toBe(4)
    expect(kind.stderr).toContain('InvalidRequestError')
    expect(kind.stderr).toContain('kinds are a comma-separated list of')
    expect((await api(bob, 'POST', '/inbox/read', {})).body).toMatchObject({ name: 'InvalidRequestError', status: 400 })
    expect((await api(bob, 'GET', '/inbox?limit=0')).body).toMatchObject({ name: 'InvalidRequestError', status: 400 })
    expect((await mutual(['inbox', 'mark-read', '--home', bob.home])).code).toBe(2)
    expect((await mutual(['inbox', 'mark-read', unread.id, '--all', '--home', bob.home])).code).toBe(2)
    expect(await inbox(bob)).toEqual(before)
  }, 60_000)
})
