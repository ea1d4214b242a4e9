import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildOnce, cleanup, eventually, mutual, mutualJson, ok, startDaemon, tempHome, type DaemonProcess } from './cli/helpers.js'

/**
 * A private board end to end, through the CLI of real daemons: Alice creates it encrypted and
 * invites Bob, who reads and writes it; Carol joins the space without an invite and syncs it,
 * but holds only ciphertext.
 */
let alice: DaemonProcess
let bob: DaemonProcess
let carol: DaemonProcess
beforeAll(async () => {
  buildOnce()
  ;[alice, bob, carol] = await Promise.all([startDaemon(tempHome()), startDaemon(tempHome()), startDaemon(tempHome())])
}, 120_000)
afterAll(async () => {
  await Promise.all([alice, bob, carol].map(async (d) => await d?.stop()))
  cleanup()
})

const titles = async (d: DaemonProcess, board: string): Promise<string[]> =>
  (await mutualJson<{ tasks: Array<{ title: string }> }>(['task', 'list', board, '--home', d.home])).tasks.map((t) => t.title).sort()

describe('mutual board create --private', () => {
  it('is read by the creator and the writer it invites, and is only ciphertext to a peer that syncs without an invite', async () => {
    const board = await ok(alice, ['board', 'create', 'Salaries', '--private'])
    await ok(alice, ['task', 'add', board, 'Raise for the night shift'])
    const ticket = await ok(alice, ['board', 'invite', board])
    const joined = await mutual(['join', ticket, '--home', bob.home])
    expect(joined.code, joined.stderr).toBe(0)
    await eventually(async () => (await titles(bob, board)).includes('Raise for the night shift'), 20_000, 'bob to read the first task')
    await ok(bob, ['task', 'add', board, 'Bonus pool'])
    await eventually(async () => (await titles(alice, board)).includes('Bonus pool'), 20_000, "bob's task at alice")
    expect(await titles(alice, board)).toEqual(['Bonus pool', 'Raise for the night shift'])

    // Carol dials Alice and asks for the space: sync sends her the entries, sealed (the two
    // tasks and the board's first update).
    await ok(carol, ['connect', alice.ready.addresses[0]])
    await ok(carol, ['space', 'join', board])
    // Until the genesis arrives the space is unknown there (exit 4).
    const entriesOf = async (): Promise<Array<{ type: string, body: unknown }>> => {
      const result = await mutual(['space', 'entries', board, '--limit', '1000', '--home', carol.home, '--json'])
      return result.code === 0 ? (JSON.parse(result.stdout) as { entries: Array<{ type: string, body: unknown }> }).entries : []
    }
    await eventually(async () => (await entriesOf()).filter((e) => e.type === 'enc/v1').length >= 3, 20_000, 'the sealed entries at carol')
    const entries = await entriesOf()
    const text = JSON.stringify(entries)
    for (const secret of ['Salaries', 'night shift', 'Bonus']) expect(text).not.toContain(secret)
    expect(new Set(entries.map((e) => e.type))).toEqual(new Set(['space/genesis', 'space/key', 'board/grant', 'enc/v1']))
    expect(await titles(carol, board)).toEqual([])
  }, 120_000)
})
