import { describe, expect, it } from 'vitest'
import { generateIdentity } from '@mutual/protocol'
import { Log, memoryStore, type EntryStore } from '@mutual/log'
import { genesisBody } from './helpers.js'

/** A store that works until told to fail its commits, as a full or broken disk does. */
function breakable (inner: EntryStore): EntryStore & { fail: boolean } {
  const store = Object.create(inner) as EntryStore & { fail: boolean }
  store.fail = false
  store.commit = async (batch) => {
    if (store.fail) throw new Error('EIO: i/o error, write')
    await inner.commit(batch)
  }
  return store
}

describe('a failed batch', () => {
  it('fails the appends it held, closes the log, and leaves the store with only what was acknowledged', async () => {
    const inner = memoryStore()
    const store = breakable(inner)
    const owner = await generateIdentity()
    const log = new Log({ store })
    await log.start()
    const { space } = await log.createSpace(owner, genesisBody())
    const kept = await log.append(owner, space, 'space/note', { text: 'acknowledged' })

    store.fail = true
    await expect(log.append(owner, space, 'space/note', { text: 'lost' })).rejects.toThrow()
    store.fail = false
    // Memory may be ahead of disk now: the log refuses everything rather than serve it.
    await expect(log.append(owner, space, 'space/note', { text: 'after' })).rejects.toMatchObject({ name: 'LogClosedError' })
    await expect(log.ingest(kept.bytes)).rejects.toMatchObject({ name: 'LogClosedError' })
    await log.stop()

    const reopened = new Log({ store: inner })
    await reopened.start()
    expect(reopened.head(space, owner.id)).toMatchObject({ seq: kept.entry.seq, head: kept.id.toString() })
    await reopened.append(owner, space, 'space/note', { text: 'after a restart' })
    expect(reopened.head(space, owner.id)?.seq).toBe(kept.entry.seq + 1)
    await reopened.stop()
  })
})
