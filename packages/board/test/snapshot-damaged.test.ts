import { describe, expect, it } from 'vitest'
import { BoardReplica, checkUpdate, createBoard, snapshotKey, type BoardEvent } from '@mutual/board'
import { decodeSnapshot, encodeSnapshot } from '../src/snapshot.js'
import { checkUpdateBounds } from '../src/update-check.js'
import { boardLog, identities, prng } from './helpers.js'

/**
 * A replica checks its own snapshot only for bounds before applying it (Yjs's decode would be a
 * second full copy of the board); damage that Yjs itself refuses must still leave a replica that
 * holds exactly what the log holds.
 */
describe('a damaged snapshot', () => {
  it('is dropped and the board rebuilt from the log, when the bytes are bounded but Yjs refuses them', async () => {
    const [alice] = await identities(1)
    const log = await boardLog()
    const space = await createBoard(log, alice, { name: 'Week 12' })
    const writer = new BoardReplica({ log, space, identity: alice })
    await writer.start()
    const titles = Array.from({ length: 12 }, (_, i) => `task ${i}`)
    for (const title of titles) {
      writer.edit((b) => { b.addTask({ title, description: `about ${title}` }) })
      await writer.flush()
    }
    await writer.stop()
    const stored = decodeSnapshot(await log.getMeta(snapshotKey(space)) as Uint8Array)
    if (stored === undefined) throw new Error('the replica wrote no snapshot')

    // Seeded mutations, until one passes the bounds and Yjs's decoder refuses it.
    const rand = prng(14)
    let damaged: Uint8Array | undefined
    for (let tries = 0; tries < 20_000 && damaged === undefined; tries++) {
      const bytes = stored.update.slice()
      for (let k = 0; k < 3; k++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256)
      try {
        checkUpdateBounds(bytes, Infinity)
      } catch {
        continue
      }
      try {
        checkUpdate(bytes, Infinity)
      } catch (err) {
        if ((err as Error).name === 'InvalidUpdateError') damaged = bytes
      }
    }
    expect(damaged).toBeDefined()
    await log.putMeta(snapshotKey(space), encodeSnapshot({ ...stored, update: damaged as Uint8Array }))

    const errors: BoardEvent[] = []
    const reader = new BoardReplica({ log, space })
    reader.subscribe((event) => { if (event.type === 'error') errors.push(event) })
    await reader.start()
    expect(reader.board.tasks().map((t) => t.title).sort()).toEqual([...titles].sort())
    expect(errors.length).toBeGreaterThan(0)
    await reader.stop()
    await log.stop()
  })
})
