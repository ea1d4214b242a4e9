import { access, readFile, rm, writeFile } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { DaemonRunningError, initHome, readLock } from '@mutual/daemon'
import { createMutualNode, type MutualNode, type MutualNodeInit } from '@mutual/node'
import { type TestDaemon, apiJson, startTestDaemon, tempHome } from './helpers.js'

const exists = async (file: string): Promise<boolean> => await access(file).then(() => true, () => false)

/** Builds the real node, whose stop() first waits `ms`. */
function slowToStop (ms: number): (init: MutualNodeInit) => MutualNode {
  return (init) => {
    const node = createMutualNode(init)
    return new Proxy(node, {
      get: (target, key) => {
        if (key === 'stop') return async () => { await new Promise((resolve) => setTimeout(resolve, ms)); await target.stop() }
        const value: unknown = Reflect.get(target, key)
        return typeof value === 'function' ? value.bind(target) : value
      }
    })
  }
}

describe('daemon lifecycle', () => {
  const cleanup: Array<() => Promise<void>> = []

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  async function start (home?: string): Promise<TestDaemon> {
    const daemon = await startTestDaemon({ home })
    cleanup.push(async () => { await daemon.dispose() })
    return daemon
  }

  it('refuses a second daemon on the same home with DaemonRunningError naming the PID and API', async () => {
    const first = await start()
    const second = startTestDaemon({ home: first.home })
    await expect(second).rejects.toThrow(DaemonRunningError)
    const err = await second.then(() => { throw new Error('started') }, (e: DaemonRunningError) => e)
    expect(err.name).toBe('DaemonRunningError')
    expect(err.message).toContain(`pid ${process.pid}`)
    expect(err.message).toContain(first.url)
    expect((err as DaemonRunningError).pid).toBe(process.pid)
    // the first daemon is untouched
    expect((await apiJson(first, '/api/v1/status')).status).toBe(200)
    expect(await readLock(first.paths.lock)).toEqual({ pid: process.pid, api: first.url })
  })

  it('takes over a stale lock', async () => {
    const home = await tempHome()
    const opened = await initHome(home)
    // a PID far above any pid_max: no such process
    await writeFile(opened.paths.lock, JSON.stringify({ pid: 2 ** 30, api: 'http://127.0.0.1:1' }), { mode: 0o600 })
    const daemon = await start(home)
    expect(await readLock(daemon.paths.lock)).toEqual({ pid: process.pid, api: daemon.url })
  })

  it('removes the api file and the lock on stop, keeps key and token, and stops idempotently', async () => {
    const home = await tempHome()
    cleanup.push(async () => { await rm(home, { recursive: true, force: true }) })
    const daemon = await startTestDaemon({ home })
    const key = await readFile(daemon.paths.identity)
    await daemon.stop()
    await daemon.stop()
    expect(await exists(daemon.paths.api)).toBe(false)
    expect(await exists(daemon.paths.lock)).toBe(false)
    await expect(fetch(`${daemon.url}/healthz`)).rejects.toThrow()

    const again = await startTestDaemon({ home })
    try {
      expect(again.identity.id).toBe(daemon.identity.id)
      expect(again.token).toBe(daemon.token)
      expect(await readFile(again.paths.identity)).toEqual(key)
    } finally {
      await again.stop()
    }
  })

  it('closes open event streams when stopping', async () => {
    const daemon = await start()
    const res = await fetch(`${daemon.url}/api/v1/events`, { headers: { authorization: `Bearer ${daemon.token}` } })
    const reader = res.body!.getReader()
    await reader.read() // the retry line
    await daemon.stop()
    let done = false
    while (!done) done = (await reader.read()).done
    expect(done).toBe(true)
  })

  it('refuses a bad config file with ConfigError naming the file and field', async () => {
    const home = await tempHome()
    cleanup.push(async () => { await rm(home, { recursive: true, force: true }) })
    const { paths } = await initHome(home)
    const config = JSON.parse(await readFile(paths.config, 'utf8'))
    await writeFile(paths.config, JSON.stringify({ ...config, mdns: 'yes' }))
    const err = await startTestDaemon({ home }).catch((e: Error) => e)
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).name).toBe('ConfigError')
    expect((err as Error).message).toContain(paths.config)
    expect((err as Error).message).toContain('mdns')
    // nothing left behind: no lock
    expect(await exists(paths.lock)).toBe(false)
  })

  it('reports not ready once stopping, and probes need no token', async () => {
    // A node that takes a while to stop, as one with many connections does: the daemon is
    // stopping all that while.
    const daemon = await startTestDaemon({ createNode: slowToStop(300) })
    cleanup.push(async () => { await daemon.dispose() })
    expect(await (await fetch(`${daemon.url}/healthz`)).json()).toEqual({ ok: true })
    const ready = await fetch(`${daemon.url}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ ready: true })

    // Probed again and again from the moment stop() is called until it resolves: no probe may
    // be told "ready" (a closed listener refuses, an open connection answers 503).
    const stopping = daemon.stop()
    let stopped = false
    void stopping.then(() => { stopped = true })
    const answers: string[] = []
    do {
      answers.push(await fetch(`${daemon.url}/readyz`).then(async (r) => `${r.status} ${await r.text()}`, () => 'refused'))
    } while (!stopped)
    await stopping
    expect(answers.length).toBeGreaterThan(0)
    for (const answer of answers) expect(['refused', '503 {"ready":false}']).toContain(answer)
  })
})
