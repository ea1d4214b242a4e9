import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CID, signEntry, type Identity } from '@mutual/protocol'
import { readIdentity } from '@mutual/daemon'
import { createClient, events } from '@mutual/client'
import { never } from './support/poll.js'
import { api, buildOnce, cleanup, eventually, mutual, mutualJson, ok, startDaemon, tempHome, type DaemonProcess } from './cli/helpers.js'

/**
 * A market that hands over work, over three real daemon processes driven through the built CLI:
 * an org's admin with a board, a member, and an outside worker who is in no org. The board
 * announces its ready tasks to the org's market by itself, once each; the outsider finds the
 * market with `mutual market list`, applies, and once the admin accepts writes the board and
 * holds the task on every node with no other step. An acceptance signed by someone who may not
 * administer the board grants nothing, on any node.
 */

let admin: DaemonProcess
let member: DaemonProcess
let outsider: DaemonProcess
let all: DaemonProcess[]
beforeAll(async () => {
  buildOnce()
  all = [admin, member, outsider] = await Promise.all([0, 1, 2].map(async () => await startDaemon(tempHome())))
}, 120_000)
afterAll(async () => {
  try {
    for (const d of all ?? []) if (d !== undefined) expect(await d.stop()).toBe(0)
  } finally {
    cleanup()
  }
})

interface Announcement { id: string, author: string, body: { board?: string, task?: string, title: string }, applications: Array<{ id: string, author: string, status: string }> }
interface TaskRow { id: string, title: string, status: string, holder: string | null }

const announcements = async (d: DaemonProcess, market: string): Promise<Announcement[]> => {
  const r = await api(d, 'GET', `/markets/${market}`)
  return r.status === 200 ? r.body.announcements : []
}
const tasks = async (d: DaemonProcess, board: string): Promise<TaskRow[]> => {
  const r = await mutual(['task', 'list', board, '--json', '--home', d.home])
  return r.code === 0 ? (JSON.parse(r.stdout) as { tasks: TaskRow[] }).tasks : []
}
const headOf = async (d: DaemonProcess, space: string, author: string): Promise<{ seq: number, head: string } | undefined> =>
  (await api(d, 'GET', `/spaces/${space}/vector`)).body.vector?.[author]
const keyOf = async (d: DaemonProcess): Promise<Identity> => await readIdentity(join(d.home, 'identity.key')) as Identity

/** An entry signed with `key` as the next of its log in `space` at `d`, base64 for the ingest route. */
async function signedNext (d: DaemonProcess, key: Identity, space: string, type: string, body: unknown, refs: string[]): Promise<string> {
  const head = await headOf(d, space, key.id)
  const entry = signEntry(key, {
    v: 1,
    space: CID.parse(space),
    author: key.id,
    seq: (head?.seq ?? 0) + 1,
    prev: head === undefined ? null : CID.parse(head.head),
    ts: [Date.now(), 0],
    type,
    body,
    refs: refs.map((r) => CID.parse(r))
  })
  return Buffer.from(entry.bytes).toString('base64')
}

/** The events `d` published so far (replayed from the start of its buffer), until `found` holds of one. */
async function eventSeen (d: DaemonProcess, found: (type: string, data: any) => boolean): Promise<{ type: string, data: any }> {
  const { url, token } = JSON.parse(readFileSync(join(d.home, 'api'), 'utf8')) as { url: string, token: string }
  const controller = new AbortController()
  const timer = setTimeout(() => { controller.abort() }, 20_000)
  try {
    for await (const e of events(createClient({ url, token }), { lastEventId: '0', signal: controller.signal })) {
      if (found(e.type, e.data)) return { type: e.type, data: e.data }
    }
  } finally {
    clearTimeout(timer)
    controller.abort()
  }
  throw new Error(`no such event at ${d.home}`)
}

describe('a market that hands over work', () => {
  let org: string
  let board: string
  let market: string
  let docs: string
  let ship: string
  let logo: string

  it('announces the ready tasks of a board to its org market by itself, exactly once each, and never a blocked one', async () => {
    org = await ok(admin, ['org', 'create', 'Acme'])
    expect(await ok(member, ['join', await ok(admin, ['invite', org, '--roles', 'member'])])).toBe(org)
    board = await ok(admin, ['board', 'create', 'Launch', '--org', org])
    docs = await ok(admin, ['task', 'add', board, 'Write the docs', '--estimate', '3'])
    ship = await ok(admin, ['task', 'add', board, 'Ship it'])
    await ok(admin, ['task', 'depend', board, ship, docs])
    market = await ok(admin, ['market', 'create', 'Acme jobs', '--org', org])
    await eventually(async () => (await api(member, 'GET', `/markets/${market}`)).status === 200, 20_000, 'the market at the member, followed by itself')

    const set = await mutual(['board', 'market', board, market, '--home', admin.home])
    expect(set.code, set.stderr).toBe(0)
    expect(set.stdout).toContain('Acme jobs')
    // Added after the setting: it is announced as it becomes ready, by itself.
    logo = await ok(admin, ['task', 'add', board, 'Design the logo'])

    const boardTasks = (as: Announcement[], task: string): Announcement[] => as.filter((a) => a.body.board === board && a.body.task === task)
    for (const d of [admin, member]) {
      await eventually(async () => {
        const as = await announcements(d, market)
        return boardTasks(as, docs).length === 1 && boardTasks(as, logo).length === 1
      }, 20_000, `the ready tasks announced, seen at ${d.home}`)
    }
    // More changes to the board (each starts an announcing pass) and the member's node following it: still once each, and the blocked task never.
    await ok(admin, ['task', 'edit', board, docs, '--description', 'the user guide'])
    await ok(member, ['task', 'comment', board, logo, 'round, please'])
    await never(async () => {
      const as = await announcements(member, market)
      return boardTasks(as, docs).length !== 1 || boardTasks(as, logo).length !== 1 || boardTasks(as, ship).length !== 0
    }, 3_000, 'a task announced twice, or the blocked one announced')
    const seen = boardTasks(await announcements(admin, market), docs)[0]
    expect(seen.author).toBe(admin.ready.id)
    expect(seen.body.title).toBe('Write the docs')
  }, 180_000)

  it('lets an outsider in no org find the market by its name and follow it', async () => {
    await ok(outsider, ['connect', admin.ready.addresses[0]])
    await ok(outsider, ['space', 'join', org])
    await eventually(async () => (await mutualJson<{ markets: Array<{ market: string }> }>(['market', 'list', '--json', '--home', outsider.home])).markets.some((m) => m.market === market), 20_000, 'the market listed at the outsider')
    const listed = await mutualJson<{ markets: Array<{ market: string, name: string, following: boolean, belongsTo: Array<{ id: string, name: string, kind: string }> }> }>(['market', 'list', '--json', '--home', outsider.home])
    expect(listed.markets.find((m) => m.market === market)).toEqual(expect.objectContaining({ name: 'Acme jobs', following: false, belongsTo: [{ id: org, name: 'Acme', kind: 'org' }] }))
    const human = await mutual(['market', 'list', '--home', outsider.home], { env: { NO_COLOR: '1' } })
    expect(human.stdout).toMatch(new RegExp(`${market}\\s+Acme jobs\\s+Acme \\(org\\)\\s+no`))

    const joined = await mutual(['market', 'join', market, '--home', outsider.home])
    expect(joined.code, joined.stderr).toBe(0)
    expect(joined.stderr).toContain('following market "Acme jobs"')
    await eventually(async () => (await announcements(outsider, market)).some((a) => a.body.task === docs), 20_000, 'the announcements at the outsider')
    expect((await mutualJson<{ markets: Array<{ market: string, following: boolean }> }>(['market', 'list', '--json', '--home', outsider.home])).markets.find((m) => m.market === market)?.following).toBe(true)
  }, 120_000)

  it('grants nothing by an acceptance signed by someone who may not administer the board, on every node', async () => {
    // The member announces the logo task by hand (an announcer decides on their own announcement's applications).
    const own = await ok(member, ['market', 'announce', market, 'Logo, by hand', '--board', board, '--task', logo])
    await eventually(async () => (await announcements(outsider, market)).some((a) => a.id === own), 20_000, "the member's announcement at the outsider")
    const application = await ok(outsider, ['market', 'apply', market, own, '--note', 'I draw'])
    await eventually(async () => (await announcements(member, market)).find((a) => a.id === own)?.applications.length === 1, 20_000, 'the application at the member')

    // Through the CLI: refused by name, and nothing is written.
    const before = await headOf(member, market, member.ready.id)
    const refused = await mutual(['market', 'accept', market, application, '--reason', 'you draw well', '--home', member.home])
    expect(refused.code).toBe(4)
    expect(refused.stderr).toContain('NotBoardAdminError')
    expect(await headOf(member, market, member.ready.id)).toEqual(before)

    // Signed with the member's key by a script: a valid market decision, but it hands nothing over.
    const memberKey = await keyOf(member)
    const acceptance = await signedNext(member, memberKey, market, 'task/accept', {
      application: CID.parse(application), reason: 'you draw well', handover: { board, task: logo, applicant: outsider.ready.id }
    }, [application, own])
    const taken = await api(member, 'POST', `/orgs/${org}/entries`, { entry: acceptance })
    expect(taken.status, JSON.stringify(taken.body)).toBe(201)
    await eventually(async () => (await announcements(outsider, market)).find((a) => a.id === own)?.applications[0].status === 'accepted', 20_000, 'the acceptance at the outsider')
    // The outsider's node follows the board it was named for, and still may not write it.
    await eventually(async () => (await tasks(outsider, board)).length === 3, 20_000, 'the board at the outsider')
    const move = await mutual(['task', 'move', board, logo, 'doing', '--home', outsider.home])
    expect(move.code).toBe(4)
    expect(move.stderr).toContain('ReadOnlyBoardError')

    // A board entry signed with the outsider's key that cites the acceptance: refused on every node.
    const decided = (await api(member, 'GET', `/markets/${market}`)).body.announcements.find((a: Announcement) => a.id === own).applications[0].decisions[0].id as string
    const policy = (await api(admin, 'GET', `/spaces/${board}/entries?author=${admin.ready.id}&from=2&limit=1`)).body.entries[0].id as string
    const claim = await signedNext(outsider, await keyOf(outsider), board, 'task/claim', { task: logo }, [decided, policy, org])
    for (const d of all) {
      const r = await api(d, 'POST', `/orgs/${org}/entries`, { entry: claim })
      expect(r.status, JSON.stringify(r.body)).toBe(403)
      expect(r.body.name).toBe('NotBoardAdminError')
    }
    for (const d of all) {
      expect(await headOf(d, board, outsider.ready.id)).toBeUndefined()
      expect((await tasks(d, board)).find((t) => t.id === logo)?.holder).not.toBe(outsider.ready.id)
    }
  }, 180_000)

  it("hands the task over in the admin's one signed acceptance: the outsider moves and edits it with no other step and holds it on every node", async () => {
    const announcement = (await announcements(outsider, market)).find((a) => a.author === admin.ready.id && a.body.task === docs) as Announcement
    const application = await ok(outsider, ['market', 'apply', market, announcement.id, '--note', 'I write docs'])
    const received = await eventSeen(admin, (type, data) => type === 'market.application' && data.application === application)
    expect(received.data).toEqual(expect.objectContaining({ market, applicant: outsider.ready.id, announcement: announcement.id }))

    // Only someone who may administer the board hands its task over.
    await eventually(async () => (await announcements(member, market)).find((a) => a.id === announcement.id)?.applications.length === 1, 20_000, 'the application at the member')
    const notAdmin = await mutual(['market', 'accept', market, application, '--reason', 'fine', '--home', member.home])
    expect(notAdmin.code).toBe(4)
    expect(notAdmin.stderr).toContain('NotBoardAdminError')

    await ok(admin, ['market', 'accept', market, application, '--reason', 'your samples are clear'])
    const accepted = await eventSeen(outsider, (type, data) => type === 'market.accepted' && data.application === application)
    expect(accepted.data).toEqual(expect.objectContaining({ applicant: outsider.ready.id, by: admin.ready.id, reason: 'your samples are clear', handover: { board, task: docs } }))

    // No other step: the outsider's node follows the board and writes it.
    await eventually(async () => (await mutual(['task', 'move', board, docs, 'doing', '--home', outsider.home])).code === 0, 20_000, 'the outsider moving the task')
    await ok(outsider, ['task', 'edit', board, docs, '--title', 'Write the user guide'])
    for (const d of all) {
      await eventually(async () => {
        const task = (await tasks(d, board)).find((t) => t.id === docs)
        return task?.status === 'doing' && task.title === 'Write the user guide' && task.holder === outsider.ready.id
      }, 20_000, `the outsider's move, edit and hold at ${d.home}`)
    }
    // A member's claim after it does not displace the hand-over.
    await mutual(['task', 'claim', board, docs, '--home', member.home])
    await eventually(async () => (await api(admin, 'GET', `/boards/${board}/tasks/${docs}`)).body.claimants?.length === 2, 20_000, "the member's claim at the admin")
    await never(async () => (await tasks(admin, board)).find((t) => t.id === docs)?.holder !== outsider.ready.id, 2_000, 'the holder changed by a later claim')
  }, 180_000)

  it('refuses bad input for the new commands and routes by name, and stores nothing', async () => {
    const setting = (await api(admin, 'GET', `/boards/${board}/market`)).body
    expect(setting).toEqual(expect.objectContaining({ board, market, by: admin.ready.id }))

    const both = await mutual(['board', 'market', board, market, '--off', '--home', admin.home])
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('UsageError')
    const byMember = await mutual(['board', 'market', board, '--off', '--home', member.home])
    expect(byMember.code).toBe(4)
    expect(byMember.stderr).toContain('NotBoardAdminError')
    const unknown = await mutual(['board', 'market', board, org, '--home', admin.home])
    expect(unknown.code).toBe(4)
    expect(unknown.stderr).toContain('UnknownSpaceError')
    const joinUnknown = await mutual(['market', 'join', board, '--home', outsider.home])
    expect(joinUnknown.code).toBe(4)
    expect(joinUnknown.stderr).toContain('UnknownSpaceError')

    const badBody = await api(admin, 'PUT', `/boards/${board}/market`, { market: 7 })
    expect(badBody.status).toBe(400)
    expect(badBody.body.name).toBe('InvalidRequestError')
    const notId = await api(admin, 'PUT', `/boards/${board}/market`, { market: 'not-a-market' })
    expect(notId.status).toBe(404)
    expect(notId.body.name).toBe('UnknownSpaceError')
    const noBoard = await api(admin, 'GET', `/boards/${market}/market`)
    expect(noBoard.status).toBe(404)

    // None of it changed the setting, on any node.
    for (const d of all) expect((await api(d, 'GET', `/boards/${board}/market`)).body).toEqual(setting)
  }, 120_000)
})
