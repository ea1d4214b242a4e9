import { describe, expect, it } from 'vitest'
import { RecordRegistry, baseRecordTypes } from '@mutual/protocol'
import { Log, memoryStore } from '@mutual/log'
import { BoardReplica, boardAuthorizer, boardRecordTypes, boardUpdateRule, createBoard, updateDecodes } from '@mutual/board'
import { allBytes, boardLog, identities } from './helpers.js'

/** A remote Yjs update is decoded once before it is applied: by the first rule that checks it. */
describe('a remote board update', () => {
  it('is decoded once, however many rules and the replica look at it', async () => {
    const [alice] = await identities(1)
    const a = await boardLog()
    // As in the daemon: the board's own rule, then the update rule every board gets.
    const b = new Log({
      store: memoryStore(),
      registry: new RecordRegistry([...baseRecordTypes(), ...boardRecordTypes()]),
      authorizers: [boardAuthorizer(), boardUpdateRule()]
    })
    await b.start()
    const board = await createBoard(a, alice, { name: 'Week 12' })
    const writer = new BoardReplica({ log: a, space: board, identity: alice })
    await writer.start()
    for (const bytes of await allBytes(a, board)) await b.ingest(bytes)
    const reader = new BoardReplica({ log: b, space: board })
    await reader.start()

    for (const title of ['Paint the hall', 'Order bricks', 'Call the plumber']) {
      writer.edit((doc) => { doc.addTask({ title }) })
      await writer.flush()
      const held = new Set((await allBytes(b, board)).map((x) => Buffer.from(x).toString('base64')))
      const fresh = (await allBytes(a, board)).filter((x) => !held.has(Buffer.from(x).toString('base64')))
      expect(fresh).toHaveLength(1)
      const before = updateDecodes()
      await b.ingest(fresh[0])
      await expect.poll(() => reader.board.tasks().map((t) => t.title)).toContain(title)
      expect(updateDecodes() - before).toBe(1)
    }
    await Promise.all([writer.stop(), reader.stop()])
    await Promise.all([a.stop(), b.stop()])
  })
})
