import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { BoardReplica, applyTextUpdate, createBoard, replicaDiff } from '@mutual/board'
import { boardLog, identities } from './helpers.js'

async function setup (): Promise<{ replica: BoardReplica, page: Y.Doc, task: string, entries: () => Promise<number>, stop: () => Promise<void> }> {
  const [alice] = await identities(1)
  const log = await boardLog()
  const space = await createBoard(log, alice, { name: 'B' })
  const replica = new BoardReplica({ log, space, identity: alice, batchMs: 10 })
  await replica.start()
  let task = ''
  replica.edit((b) => { task = b.addTask({ title: 'Write', description: 'one' }) })
  await replica.flush()
  const page = new Y.Doc()
  Y.applyUpdate(page, replicaDiff(replica).update)
  const entries = async (): Promise<number> => {
    let n = 0
    for await (const e of log.spaceEntries(space)) if (e.entry.type === 'board/update') n++
    return n
  }
  return { replica, page, task, entries, stop: async () => { await replica.stop(); await log.stop() } }
}

function pageEdit (page: Y.Doc, fn: () => void): Uint8Array {
  const before = Y.encodeStateVector(page)
  fn()
  return Y.encodeStateAsUpdate(page, before)
}

describe('updates from a page', () => {
  it('applies description edits as a signed local edit, and two pages converge', async () => {
    const { replica, page, task, entries, stop } = await setup()
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(page))
    const text = (doc: Y.Doc): Y.Text => (doc.getMap('tasks').get(task) as Y.Map<unknown>).get('description') as Y.Text
    const a = pageEdit(page, () => { text(page).insert(0, 'A ') })
    const b = pageEdit(other, () => { text(other).insert(3, ' B') })
    const entriesBefore = await entries()
    await applyTextUpdate(replica, a)
    await applyTextUpdate(replica, b)
    expect(await entries()).toBe(entriesBefore + 2)
    Y.applyUpdate(page, replicaDiff(replica, Y.encodeStateVector(page)).update)
    Y.applyUpdate(other, replicaDiff(replica, Y.encodeStateVector(other)).update)
    expect(text(page).toString()).toBe(text(other).toString())
    expect(replica.board.task(task)?.description).toBe(text(page).toString())
    await stop()
  })

  it('refuses an update that changes anything but a description, and changes nothing', async () => {
    const { replica, page, task, stop } = await setup()
    const before = Y.encodeStateAsUpdate(replica.doc)
    const status = pageEdit(page, () => { (page.getMap('tasks').get(task) as Y.Map<unknown>).set('status', 'done') })
    await expect(applyTextUpdate(replica, status)).rejects.toMatchObject({ name: 'TextOnlyUpdateError' })
    const name = pageEdit(page, () => { page.getMap('meta').set('name', 'X') })
    await expect(applyTextUpdate(replica, name)).rejects.toMatchObject({ name: 'TextOnlyUpdateError' })
    await expect(applyTextUpdate(replica, new Uint8Array([1, 2, 3]))).rejects.toMatchObject({ name: 'InvalidUpdateError' })
    await expect(applyTextUpdate(replica, new Uint8Array())).rejects.toMatchObject({ name: 'InvalidUpdateError' })
    expect(Y.encodeStateAsUpdate(replica.doc)).toEqual(before)
    expect(replica.board.task(task)?.status).toBe('todo')
    await stop()
  })
})
