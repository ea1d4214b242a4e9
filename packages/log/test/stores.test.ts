import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { levelStore, memoryStore } from '@mutual/log'
import { runStoreComplianceTests, storedEntry } from './store-compliance.js'

runStoreComplianceTests('memory', async () => ({ store: memoryStore(), cleanup: async () => {} }))

runStoreComplianceTests('level', async () => {
  const path = await mkdtemp(join(tmpdir(), 'mutual-level-'))
  return {
    store: levelStore({ path }),
    reopen: async () => levelStore({ path }),
    cleanup: async () => { await rm(path, { recursive: true, force: true }) }
  }
})

describe('level store', () => {
  it('refuses a second open of the same directory while the first is open, with StoreLockedError', async () => {
    const path = await mkdtemp(join(tmpdir(), 'mutual-level-lock-'))
    const first = levelStore({ path })
    await first.open()
    try {
      const entry = storedEntry('space', 'author', 1)
      await first.commit({ entries: [entry], heads: [], forks: [], meta: [] })
      const second = levelStore({ path })
      await expect(second.open()).rejects.toMatchObject({ name: 'StoreLockedError' })
      // The first holder is unharmed, and once it closes the directory can be opened again.
      expect(await first.locate(entry.id)).toEqual({ space: 'space', author: 'author', seq: 1 })
      await first.close()
      const third = levelStore({ path })
      await third.open()
      expect(await third.locate(entry.id)).toEqual({ space: 'space', author: 'author', seq: 1 })
      await third.close()
    } finally {
      await first.close()
      await rm(path, { recursive: true, force: true })
    }
  })
})
