import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, buildOnce, cleanup, mutual, mutualJson, ok, startDaemon, type DaemonProcess } from './helpers.js'
import { loopDisk, type LoopDisk } from '../support/loop-disk.js'

/**
 * What the CLI README promises about a crash, down to the disk: an edit the CLI reported is on
 * the disk, not only in the page cache. A SIGKILL cannot show that (the kernel keeps what the
 * process wrote), so the daemon's home is on a loop-device file system whose image is copied the
 * moment an acknowledgement arrives — what a power cut would leave — and a daemon started on the
 * copy must show every acknowledged write. First edits and claims through the CLI, then a burst
 * of concurrent writers on the HTTP API, cut at once at one of its answers: writes queue behind
 * the fsync in flight, so a daemon that answered before its commit, or before the fsync, has
 * answered writes that are not on the disk yet.
 */

const WRITERS = 4
const HTTP_WRITERS = 8
/** the HTTP answer at which the power goes */
const CUT_AT = 40

beforeAll(() => { buildOnce() }, 120_000)
afterAll(() => { cleanup() })

async function succeed (d: DaemonProcess, args: string[]): Promise<string> {
  const result = await mutual([...args, '--home', d.home])
  if (result.code !== 0) throw new Error(`mutual ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
  return result.stdout.trim()
}

describe('a power cut right after the CLI answered', () => {
  it('keeps every board edit and claim the CLI reported and every task the API acknowledged, from concurrent writers', async () => {
    const disks: LoopDisk[] = []
    try {
      const disk = loopDisk()
      disks.push(disk)
      const home = join(disk.mount, 'home')
      mkdirSync(home)
      let d = await startDaemon(home)
      const holder = d.ready.id
      const board = await ok(d, ['board', 'create', 'Power'])

      // Concurrent writers, each command acknowledged (exit 0) before the cut.
      const titles = Array.from({ length: WRITERS }, (_, i) => `task ${i}`)
      const tasks = await Promise.all(titles.map(async (title) => await succeed(d, ['task', 'add', board, title, '--estimate', '1'])))
      await Promise.all(tasks.map(async (task, i) => {
        await succeed(d, ['task', 'edit', board, task, '--description', `acknowledged ${i}`])
      }))
      await Promise.all([
        ...tasks.slice(0, WRITERS / 2).map(async (task) => await succeed(d, ['task', 'claim', board, task])),
        ...tasks.slice(WRITERS / 2).map(async (task) => await succeed(d, ['task', 'move', board, task, 'doing']))
      ])

      // The power goes the moment the API's CUT_AT-th answer is in: nothing flushed, no shutdown.
      const acked: string[] = []
      let after: LoopDisk | undefined
      const writer = async (w: number): Promise<void> => {
        for (let n = 0; after === undefined; n++) {
          const title = `burst ${w}.${n}`
          const res = await api(d, 'POST', `/boards/${board}/tasks`, { title }).catch((err: Error) => {
            // Only the cut may end a request.
            if (after === undefined) throw err
          })
          if (after !== undefined || res === undefined) return
          expect(res.status).toBe(201)
          acked.push(title)
          if (acked.length === CUT_AT) {
            d.child.kill('SIGKILL')
            after = disk.cut()
            disks.push(after)
          }
        }
      }
      await Promise.all(Array.from({ length: HTTP_WRITERS }, async (_, w) => { await writer(w) }))
      expect(await d.stop()).toBeNull()
      expect(d.child.signalCode).toBe('SIGKILL')

      d = await startDaemon(join(after!.mount, 'home'))
      try {
        const listed = await mutualJson<{ tasks: Array<{ id: string, title: string }> }>(['task', 'list', board, '--home', d.home])
        const ids = new Set(listed.tasks.map((t) => t.id))
        expect(tasks.filter((t) => !ids.has(t)), 'tasks the CLI added, missing').toEqual([])
        const listedTitles = new Set(listed.tasks.map((t) => t.title))
        expect(acked.filter((t) => !listedTitles.has(t)), 'tasks the HTTP API acknowledged, missing').toEqual([])
        for (const [i, task] of tasks.entries()) {
          const shown = await mutualJson(['task', 'show', board, task, '--home', d.home])
          const claimed = i < WRITERS / 2
          expect(shown.task ?? shown, `task ${i}`).toMatchObject({
            title: titles[i],
            description: `acknowledged ${i}`,
            status: claimed ? 'todo' : 'doing',
            holder: claimed ? holder : null
          })
        }
      } finally {
        expect(await d.stop()).toBe(0)
      }
    } finally {
      for (const disk of disks.reverse()) disk.remove()
    }
  }, 90_000)
})
