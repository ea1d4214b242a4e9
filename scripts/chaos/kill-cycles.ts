/**
 * Board writes through a real `mutual daemon` process that is killed with SIGKILL in the middle
 * of them, again and again, on one data directory: for the chaos suite (is every acknowledged
 * edit still there?) and the restart benchmark (does start-up slow down with unclean history?).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startDaemon, type DaemonProcess } from '../../test/cli/helpers.ts'

export interface KillCyclesInit {
  home: string
  /** daemons started; every one but the last is killed during writes */
  starts: number
  /** task writes sent to each daemon (the kill comes once half of them were acknowledged) */
  writes: number
}

export interface KillCyclesResult {
  board: string
  /** titles of tasks whose creation the daemon acknowledged (201) */
  acknowledged: string[]
  /** per start, ms from spawning the process to its ready line (API listening, node up) */
  readyMs: number[]
  /** the last daemon, left running for the caller to inspect and stop */
  daemon: DaemonProcess
}

export async function apiCall (d: DaemonProcess, method: string, path: string, body?: unknown): Promise<Response> {
  const token = readFileSync(join(d.home, 'api-token'), 'utf8').trim()
  return await fetch(`${d.ready.api}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
}

export async function killCycles (init: KillCyclesInit): Promise<KillCyclesResult> {
  const acknowledged: string[] = []
  const readyMs: number[] = []
  let board = ''
  for (let start = 0; ; start++) {
    const t0 = performance.now()
    const d = await startDaemon(init.home, { json: true })
    readyMs.push(performance.now() - t0)
    if (start === 0) {
      const res = await apiCall(d, 'POST', '/boards', { name: 'kill cycles' })
      if (res.status !== 201) throw new Error(`board create answered ${res.status}: ${await res.text()}`)
      board = ((await res.json()) as { board: string }).board
    }
    if (start === init.starts - 1) return { board, acknowledged, readyMs, daemon: d }
    // Two writes in flight at a time; the kill lands once half were acknowledged, with more on the way.
    let acked = 0
    let next = 0
    const writer = async (): Promise<void> => {
      while (next < init.writes) {
        const title = `s${start}-t${next++}`
        try {
          const res = await apiCall(d, 'POST', `/boards/${board}/tasks`, { title })
          if (res.status === 201) {
            acknowledged.push(title)
            if (++acked === Math.ceil(init.writes / 2)) d.child.kill('SIGKILL')
          } else {
            await res.body?.cancel()
          }
        } catch {
          // the daemon is gone: this write was never acknowledged
        }
      }
    }
    await Promise.all([writer(), writer()])
    await d.stop('SIGKILL')
  }
}
