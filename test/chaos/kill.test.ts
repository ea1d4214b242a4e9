import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildOnce, cleanup, tempHome } from '../cli/helpers.js'
import { apiCall, killCycles } from '../../scripts/chaos/kill-cycles.ts'

beforeAll(() => { buildOnce() }, 120_000)
afterAll(() => { cleanup() })

describe('chaos: SIGKILL during board writes', () => {
  it('keeps every acknowledged task through 20 kills of the daemon in the middle of writes', async () => {
    const { board, acknowledged, daemon } = await killCycles({ home: tempHome(), starts: 21, writes: 12 })
    try {
      // Writes were acknowledged in every cycle, and some were cut off by the kill.
      expect(acknowledged.length).toBeGreaterThan(20 * 3)
      expect(acknowledged.length).toBeLessThan(20 * 12)
      const res = await apiCall(daemon, 'GET', `/boards/${board}/tasks`)
      expect(res.status).toBe(200)
      const titles = new Set(((await res.json()) as { tasks: Array<{ title: string }> }).tasks.map((t) => t.title))
      const lost = acknowledged.filter((t) => !titles.has(t))
      expect(lost).toEqual([])
    } finally {
      expect(await daemon.stop()).toBe(0)
    }
  }, 240_000)
})
