import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CID, cidOf, encode, generateIdentity, signEntry, type Identity } from '@mutual/protocol'
import { createBoard, snapshotKey } from '@mutual/board'
import { type TestDaemon, apiJson, openEvents, startTestDaemon } from './helpers.js'

/** The board routes of one daemon: every write, and bad input refused by name with nothing changed. */

const PROBLEM = 'application/problem+json'
const UNKNOWN = cidOf(encode({ no: 'board' })).toString()

let daemon: TestDaemon
let board: string

const post = async (path: string, body?: unknown): Promise<{ status: number, type: string | null, body: any }> =>
  await apiJson(daemon, `/api/v1${path}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) })
const get = async (path: string): Promise<{ status: number, type: string | null, body: any }> => await apiJson(daemon, `/api/v1${path}`)
const send = async (method: string, path: string, body?: unknown): Promise<{ status: number, type: string | null, body: any }> =>
  await apiJson(daemon, `/api/v1${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })

/** Asserts a problem+json answer with the given status and error name. */
function refused (res: { status: number, type: string | null, body: any }, status: number, name: string): void {
  expect(res.type).toBe(PROBLEM)
  expect(res.body).toMatchObject({ status, name })
  expect(res.status).toBe(status)
}

const vector = (space: string): string => JSON.stringify(daemon.log.vector(space))
const bytes = (update: Uint8Array): { '/': { bytes: string } } => ({ '/': { bytes: Buffer.from(update).toString('base64') } })

function someUpdate (): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('meta').set('note', 'hello')
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

beforeAll(async () => {
  daemon = await startTestDaemon()
})

afterAll(async () => {
  await daemon?.dispose()
})

describe('boards', () => {
  it('creates a board, lists it and shows it', async () => {
    const created = await post('/boards', { name: 'Launch' })
    expect(created.status).toBe(201)
    board = created.body.board
    expect(daemon.node.joined()).toContain(board)
    const list = await get('/boards')
    expect(list.body.boards).toEqual([{ board, name: 'Launch', creator: daemon.identity.id, org: null, tasks: 0, writers: [] }])
    const detail = await get(`/boards/${board}`)
    expect(detail.status).toBe(200)
    expect(detail.body).toMatchObject({
      board, name: 'Launch', creator: daemon.identity.id, writers: [], writable: true, tasks: [], claims: [], workload: [], ready: [],
      sync: { joined: true, peers: [], pending: 0, entries: 2 }
    })
    expect(detail.body.workflow.states.map((s: any) => s.id)).toEqual(['todo', 'doing', 'review', 'done'])
    expect(detail.body.sync.vector[daemon.identity.id].seq).toBe(2)
  })

  it('adds, edits, moves, claims, comments on, links and deletes tasks', async () => {
    const spec = await post(`/boards/${board}/tasks`, { title: 'Write the spec', estimate: 3, labels: ['docs'], due: '2026-12-01' })
    expect(spec.status).toBe(201)
    expect(spec.body).toMatchObject({ title: 'Write the spec', status: 'todo', estimate: 3, labels: ['docs'], due: '2026-12-01', holder: null, contested: false, ready: true, createdBy: daemon.identity.id })
    const review = (await post(`/boards/${board}/tasks`, { title: 'Review it', estimate: 1 })).body
    const s = spec.body.id as string

    const dep = await post(`/boards/${board}/tasks/${review.id}/dependencies`, { on: s })
    expect(dep.body).toMatchObject({ dependencies: [s], ready: false })
    const edited = await send('PATCH', `/boards/${board}/tasks/${s}`, { title: 'Write the spec, v2', description: 'in Markdown' })
    expect(edited.body).toMatchObject({ title: 'Write the spec, v2', description: 'in Markdown', estimate: 3 })
    const moved = await post(`/boards/${board}/tasks/${s}/move`, { status: 'doing' })
    expect(moved.body.status).toBe('doing')

    const claim = await post(`/boards/${board}/tasks/${s}/claim`)
    expect(claim.status).toBe(200)
    expect(claim.body).toMatchObject({ task: s, holder: daemon.identity.id, contested: false })
    expect(claim.body.claimants).toHaveLength(1)
    const comment = await post(`/boards/${board}/tasks/${s}/comments`, { text: 'on it' })
    expect(comment.status).toBe(201)
    expect(comment.body.task.comments).toEqual([{ id: comment.body.id, author: daemon.identity.id, at: expect.any(String), text: 'on it' }])

    const detail = (await get(`/boards/${board}`)).body
    expect(detail.tasks.map((t: any) => t.id)).toEqual([review.id, s]) // todo before doing
    expect(detail.workload).toEqual([{ person: daemon.identity.id, estimate: 3 }])
    expect(detail.ready).toEqual([s])
    expect(detail.claims).toEqual([expect.objectContaining({ task: s, holder: daemon.identity.id })])

    const doing = await get(`/boards/${board}/tasks?status=doing`)
    expect(doing.body.tasks.map((t: any) => t.id)).toEqual([s])
    const shown = await get(`/boards/${board}/tasks/${s}`)
    expect(shown.body.task).toMatchObject({ id: s, holder: daemon.identity.id })
    expect(shown.body.claimants.map((c: any) => c.author)).toEqual([daemon.identity.id])
    const changes = shown.body.history.flatMap((h: any) => h.changes)
    expect(changes).toEqual(expect.arrayContaining(['created', 'title', 'description', 'status', 'claimed', 'comment added']))
    expect(shown.body.history.every((h: any) => h.author === daemon.identity.id && typeof h.at === 'string')).toBe(true)
    expect(shown.body.history.find((h: any) => h.status !== undefined).status).toEqual({ from: 'todo', to: 'doing' })

    const released = await post(`/boards/${board}/tasks/${s}/release`)
    expect(released.body).toMatchObject({ holder: null, claimants: [] })
    const undepend = await send('DELETE', `/boards/${board}/tasks/${review.id}/dependencies/${s}`)
    expect(undepend.body.dependencies).toEqual([])
    const deleted = await send('DELETE', `/boards/${board}/tasks/${review.id}`)
    expect(deleted.body).toEqual({ deleted: review.id })
    refused(await get(`/boards/${board}/tasks/${review.id}`), 404, 'UnknownTaskError')
  })

  it('replaces the workflow, and refuses one that is malformed or drops a state in use', async () => {
    const before = vector(board)
    refused(await send('PUT', `/boards/${board}/workflow`, { states: [{ id: 'a', name: 'A' }], done: 'z' }), 400, 'InvalidWorkflowError')
    refused(await send('PUT', `/boards/${board}/workflow`, { states: [{ id: 'todo', name: 'To do' }, { id: 'done', name: 'Done' }], done: 'done' }), 400, 'InvalidWorkflowError')
    refused(await send('PUT', `/boards/${board}/workflow`, { nonsense: true }), 400, 'InvalidWorkflowError')
    expect(vector(board)).toBe(before)
    const workflow = {
      states: [{ id: 'todo', name: 'To do' }, { id: 'doing', name: 'Doing', wip: 1 }, { id: 'done', name: 'Done' }],
      transitions: { todo: ['doing'], doing: ['done', 'todo'], done: [] },
      done: 'done'
    }
    const set = await send('PUT', `/boards/${board}/workflow`, workflow)
    expect(set.status).toBe(200)
    expect(set.body.workflow).toEqual(workflow)
    expect((await get(`/boards/${board}`)).body.workflow).toEqual(workflow)
  })

  it('refuses moves the workflow forbids, cycles, unknown tasks and bad fields by name, changing nothing', async () => {
    const a = (await post(`/boards/${board}/tasks`, { title: 'A' })).body.id as string
    const b = (await post(`/boards/${board}/tasks`, { title: 'B' })).body.id as string
    await post(`/boards/${board}/tasks/${b}/dependencies`, { on: a })
    const before = vector(board)
    const tasksBefore = (await get(`/boards/${board}/tasks`)).body

    refused(await post(`/boards/${board}/tasks/${a}/move`, { status: 'done' }), 409, 'TransitionError') // todo → done is not allowed
    refused(await post(`/boards/${board}/tasks/${a}/move`, { status: 'nowhere' }), 409, 'TransitionError')
    refused(await post(`/boards/${board}/tasks/${a}/move`, { status: 'doing' }), 409, 'WipLimitError') // the spec is in doing, limit 1
    refused(await post(`/boards/${board}/tasks/${a}/dependencies`, { on: b }), 409, 'DependencyCycleError')
    refused(await post(`/boards/${board}/tasks/${a}/dependencies`, { on: a }), 409, 'DependencyCycleError')
    refused(await post(`/boards/${board}/tasks/nope/move`, { status: 'doing' }), 404, 'UnknownTaskError')
    refused(await post(`/boards/${board}/tasks/nope/claim`), 404, 'UnknownTaskError')
    refused(await send('PATCH', `/boards/${board}/tasks/nope`, { title: 'x' }), 404, 'UnknownTaskError')
    refused(await post(`/boards/${board}/tasks/${a}/move`, { before: 'nope' }), 404, 'UnknownTaskError')
    refused(await post(`/boards/${board}/tasks`, { title: '   ' }), 400, 'InvalidTaskError')
    refused(await post(`/boards/${board}/tasks`, { title: 'x'.repeat(201) }), 400, 'InvalidTaskError')
    refused(await post(`/boards/${board}/tasks`, { title: 'x', estimate: -1 }), 400, 'InvalidTaskError')
    refused(await post(`/boards/${board}/tasks`, { title: 'x', due: 'next week' }), 400, 'InvalidTaskError')
    refused(await post(`/boards/${board}/tasks`, { title: 'x', status: 'nowhere' }), 409, 'TransitionError')
    refused(await post(`/boards/${board}/tasks`, { title: 42 }), 400, 'InvalidRequestError')
    refused(await post(`/boards/${board}/tasks/${a}/comments`, { text: '' }), 400, 'InvalidTaskError')

    expect(vector(board)).toBe(before)
    expect((await get(`/boards/${board}/tasks`)).body).toEqual(tasksBefore)
  })

  it('answers boards it does not hold, and spaces that are not boards, with NotABoardError 404', async () => {
    refused(await get(`/boards/${UNKNOWN}`), 404, 'NotABoardError')
    refused(await post(`/boards/${UNKNOWN}/tasks`, { title: 'x' }), 404, 'NotABoardError')
    const raw = (await post('/spaces', { name: 'notes' })).body.space as string
    refused(await get(`/boards/${raw}`), 404, 'NotABoardError')
    expect((await get('/boards')).body.boards.map((b: any) => b.board)).toEqual([board])
  })

  it('creates a board with its own workflow, and refuses a bad one', async () => {
    refused(await post('/boards', { name: 'bad', workflow: { states: [], done: 'x' } }), 400, 'InvalidWorkflowError')
    refused(await post('/boards', { name: '' }), 400, 'InvalidRequestError')
    const workflow = { states: [{ id: 'open', name: 'Open' }, { id: 'closed', name: 'Closed' }], transitions: 'any', done: 'closed' }
    // Without allowed moves it is refused, unless it says `any`.
    refused(await post('/boards', { name: 'Support', workflow: { ...workflow, transitions: undefined } }), 400, 'InvalidWorkflowError')
    const created = await post('/boards', { name: 'Support', workflow })
    expect(created.status).toBe(201)
    expect((await get(`/boards/${created.body.board}`)).body.workflow).toEqual(workflow)
    expect(daemon.log.spaces()).not.toContain(undefined)
  })
})

describe('a task write\'s answer', () => {
  it('says ready, blocked and over the WIP limit as the whole board\'s task list does', async () => {
    const b = (await post('/boards', { name: 'Flags' })).body.board as string
    const add = async (title: string): Promise<any> => (await post(`/boards/${b}/tasks`, { title })).body
    const listed = async (id: string): Promise<any> => (await get(`/boards/${b}/tasks`)).body.tasks.find((t: any) => t.id === id)
    const flags = (t: any): unknown => ({ id: t.id, ready: t.ready, blocked: t.blocked, overLimit: t.overLimit })
    const x = await add('X')
    const y = await add('Y')
    const z = await add('Z')
    await post(`/boards/${b}/tasks/${x.id}/move`, { status: 'doing' })
    await post(`/boards/${b}/tasks/${y.id}/move`, { status: 'doing' })
    // a limit set under a full column, and a dependency added to a task already at work: both
    // are marked on readers' side rather than refused
    await send('PUT', `/boards/${b}/workflow`, {
      states: [{ id: 'todo', name: 'To do' }, { id: 'doing', name: 'Doing', wip: 1 }, { id: 'done', name: 'Done' }],
      transitions: { todo: ['doing'], doing: ['done', 'todo'], done: ['todo'] },
      done: 'done'
    })
    const answers = [
      (await post(`/boards/${b}/tasks/${y.id}/dependencies`, { on: z.id })).body,
      (await send('PATCH', `/boards/${b}/tasks/${x.id}`, { title: 'X, v2' })).body,
      (await send('PATCH', `/boards/${b}/tasks/${z.id}`, { title: 'Z, v2' })).body,
      (await post(`/boards/${b}/tasks/${x.id}/comments`, { text: 'over the limit?' })).body.task
    ]
    for (const answer of answers) expect(flags(answer)).toEqual(flags(await listed(answer.id)))
    expect(answers.map((t) => [t.ready, t.blocked, t.overLimit])).toEqual([
      [false, true, true], // Y: waits on Z, and entered Doing after X
      [true, false, false],
      [true, false, false],
      [true, false, false]
    ])
  })
})

describe('board/update entries through the raw entries route', () => {
  const append = async (space: string, update: Uint8Array): Promise<{ status: number, type: string | null, body: any }> =>
    await post(`/spaces/${space}/entries`, { type: 'board/update', body: { update: bytes(update) } })

  it('refuses an empty, garbage or truncated update with InvalidUpdateError 400, storing nothing', async () => {
    const before = vector(board)
    refused(await append(board, new Uint8Array(0)), 400, 'InvalidUpdateError')
    refused(await append(board, new Uint8Array([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5])), 400, 'InvalidUpdateError')
    const good = someUpdate()
    refused(await append(board, good.subarray(0, good.byteLength - 3)), 400, 'InvalidUpdateError')
    expect(vector(board)).toBe(before)
    // The same route takes a well-formed one.
    const ok = await append(board, good)
    expect(ok.status).toBe(201)
  })

  it('refuses bytes that are not base64 and updates that are not bytes', async () => {
    refused(await post(`/spaces/${board}/entries`, { type: 'board/update', body: { update: { '/': { bytes: '***' } } } }), 400, 'InvalidRequestError')
    refused(await post(`/spaces/${board}/entries`, { type: 'board/update', body: { update: 'AAEC' } }), 400, 'BodySchemaError')
  })

  it('refuses a well-formed update from an identity that may not write: UnauthorizedError 403, ReadOnlyBoardError 403', async () => {
    const owner = await generateIdentity()
    const theirs = await createBoard(daemon.log, owner, { name: 'not ours' })
    const detail = (await get(`/boards/${theirs}`)).body
    expect(detail).toMatchObject({ creator: owner.id, writable: false })
    const before = vector(theirs)
    refused(await append(theirs, someUpdate()), 403, 'UnauthorizedError')
    refused(await post(`/boards/${theirs}/tasks`, { title: 'sneaky' }), 403, 'ReadOnlyBoardError')
    refused(await send('PUT', `/boards/${theirs}/workflow`, detail.workflow), 403, 'ReadOnlyBoardError')
    refused(await post(`/boards/${theirs}/invites`, {}), 403, 'UnauthorizedError')
    expect(vector(theirs)).toBe(before)
    expect((await get(`/boards/${theirs}/tasks`)).body.tasks).toEqual([])
  })
})

describe('board/update entries from the network (log.ingest)', () => {
  function craft (identity: Identity, space: string, seq: number, prev: CID | null, update: Uint8Array, tsAfter = 0): Uint8Array {
    const ts: [number, number] = [Math.max(Date.now(), tsAfter + 1), 0]
    return signEntry(identity, { v: 1, space: CID.parse(space), author: identity.id, seq, prev, ts, type: 'board/update', body: { update } }).bytes
  }

  it('refuses a garbage update signed by the creator and a good one from a stranger, storing nothing', async () => {
    const head = daemon.log.head(board, daemon.identity.id)!
    const before = vector(board)
    const garbage = craft(daemon.identity, board, head.seq + 1, CID.parse(head.head), new Uint8Array([7, 7, 7, 7]), head.ts[0])
    await expect(daemon.log.ingest(garbage)).rejects.toMatchObject({ name: 'InvalidUpdateError' })
    const truncated = someUpdate()
    await expect(daemon.log.ingest(craft(daemon.identity, board, head.seq + 1, CID.parse(head.head), truncated.subarray(0, 5), head.ts[0])))
      .rejects.toMatchObject({ name: 'InvalidUpdateError' })
    const stranger = await generateIdentity()
    await expect(daemon.log.ingest(craft(stranger, board, 1, null, someUpdate()))).rejects.toMatchObject({ name: 'UnauthorizedError' })
    expect(vector(board)).toBe(before)
  })
})

describe('invites made here', () => {
  it('creates, lists and revokes invites; tickets are one string', async () => {
    const created = await post(`/boards/${board}/invites`, { expiresInSeconds: 3600, uses: 2 })
    expect(created.status).toBe(201)
    expect(created.body.ticket).toMatch(/^mutual1:[A-Za-z0-9_-]+$/)
    expect(created.body.uses).toBe(2)
    expect(Date.parse(created.body.expires) - Date.now()).toBeGreaterThan(3500_000)
    const plain = await apiJson(daemon, `/api/v1/boards/${board}/invites`, { method: 'POST' })
    expect(plain.status).toBe(201)
    expect(Date.parse(plain.body.expires) - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000)
    expect(plain.body.uses).toBe(1)

    const list = (await get(`/boards/${board}/invites`)).body.invites
    expect(list.map((i: any) => i.id).sort()).toEqual([created.body.id, plain.body.id].sort())
    expect(list.every((i: any) => i.status === 'active' && i.used === 0 && i.revoked === false)).toBe(true)
    expect(JSON.stringify(list)).not.toMatch(/secret|hash/)

    const revoked = await send('DELETE', `/boards/${board}/invites/${created.body.id}`)
    expect(revoked.body).toMatchObject({ id: created.body.id, revoked: true, status: 'revoked' })
    refused(await send('DELETE', `/boards/${board}/invites/nope`), 404, 'UnknownInviteError')
    refused(await post(`/boards/${board}/invites`, { uses: 0 }), 400, 'InvalidRequestError')
  })

  it('refuses malformed tickets and its own tickets', async () => {
    refused(await post('/join', { ticket: 'hello' }), 400, 'InvalidTicketError')
    refused(await post('/join', { ticket: 'mutual1:!!!' }), 400, 'InvalidTicketError')
    refused(await post('/join', { ticket: 'mutual1:' + Buffer.from(encode({ v: 1 })).toString('base64url') }), 400, 'InvalidTicketError')
    const own = (await post(`/boards/${board}/invites`, {})).body.ticket as string
    refused(await post('/join', { ticket: own.slice(0, -6) }), 400, 'InvalidTicketError')
    refused(await post('/join', { ticket: own }), 400, 'InviteError')
  })
})

describe('events', () => {
  it('publishes board and claims events', async () => {
    const events = await openEvents(daemon)
    try {
      const task = (await post(`/boards/${board}/tasks`, { title: 'evented' })).body.id as string
      let event = await events.next()
      while (event.event !== 'board') event = await events.next()
      expect(JSON.parse(event.data!)).toEqual({ board, origin: 'local' })
      await post(`/boards/${board}/tasks/${task}/claim`)
      while (event.event !== 'claims') event = await events.next()
      expect(JSON.parse(event.data!)).toEqual({ board })
    } finally {
      await events.close()
    }
  })
})

describe('the OpenAPI document', () => {
  it('describes every board route', async () => {
    const { status, body } = await get('/openapi.json')
    expect(status).toBe(200)
    const paths = body.paths as Record<string, Record<string, unknown>>
    const methods = (path: string): string[] => Object.keys(paths[path] ?? {}).sort()
    expect(methods('/api/v1/boards')).toEqual(['get', 'post'])
    expect(methods('/api/v1/boards/{board}')).toEqual(['get'])
    expect(methods('/api/v1/boards/{board}/workflow')).toEqual(['put'])
    expect(methods('/api/v1/boards/{board}/tasks')).toEqual(['get', 'post'])
    expect(methods('/api/v1/boards/{board}/tasks/{task}')).toEqual(['delete', 'get', 'patch'])
    for (const action of ['move', 'claim', 'release', 'comments', 'dependencies']) expect(methods(`/api/v1/boards/{board}/tasks/{task}/${action}`)).toEqual(['post'])
    expect(methods('/api/v1/boards/{board}/tasks/{task}/dependencies/{on}')).toEqual(['delete'])
    expect(methods('/api/v1/boards/{board}/invites')).toEqual(['get', 'post'])
    expect(methods('/api/v1/boards/{board}/invites/{id}')).toEqual(['delete'])
    expect(methods('/api/v1/join')).toEqual(['post'])
    for (const schema of ['Task', 'BoardDetail', 'BoardSummary', 'Workflow', 'HistoryEvent', 'Claim', 'Invite', 'CreatedInvite']) expect(body.components.schemas[schema], schema).toBeDefined()
  })
})

describe('restart', () => {
  it('writes a snapshot on stop and serves the same board after a restart', async () => {
    const before = (await get(`/boards/${board}`)).body
    const home = daemon.home
    await daemon.stop()
    daemon = await startTestDaemon({ home })
    expect(await daemon.log.getMeta(snapshotKey(board))).toBeInstanceOf(Uint8Array)
    const after = (await get(`/boards/${board}`)).body
    expect(after.tasks).toEqual(before.tasks)
    expect(after.claims).toEqual(before.claims)
    expect(after.workflow).toEqual(before.workflow)
  })
})
