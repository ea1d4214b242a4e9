import { spawn } from 'node:child_process'
import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateIdentity } from '@mutual/protocol'
import { BIN, ROOT, buildOnce, childEnv, cleanup, mutual, mutualJson, ok, startDaemon, tempHome } from './helpers.js'
import { eventually } from '../support/poll.js'

/**
 * What the CLI README promises about interruptions, through the built `mutual` and real daemon
 * processes: a board edit the CLI reported survives a crash of the daemon (SIGKILL); Ctrl-C
 * cancels a client command (exit 130); a second Ctrl-C stops a stopping daemon at once (exit 1).
 */

const servers: Server[] = []
const held: Socket[] = []

beforeAll(() => { buildOnce() }, 120_000)
afterAll(async () => {
  for (const s of held) s.destroy()
  await Promise.all(servers.map(async (server) => { await new Promise((resolve) => { server.close(resolve) }) }))
  cleanup()
})

/**
 * A black hole of its own (it accepts TCP connections and never answers, so a dial to it hangs in
 * the handshake), and `mutual connect` to it, left hanging; resolves once the daemon is dialling
 * it. Its own, so that no late dial from an earlier test can be taken for this one.
 */
async function hangingConnect (home: string): Promise<{ child: ReturnType<typeof spawn>, exit: Promise<number | null>, stderr: () => string, stdout: () => string }> {
  let dialled = false
  const silent = createServer((socket) => { dialled = true; held.push(socket) })
  servers.push(silent)
  await new Promise<void>((resolve) => { silent.listen(0, '127.0.0.1', resolve) })
  const blackhole = `/ip4/127.0.0.1/tcp/${(silent.address() as { port: number }).port}/p2p/${(await generateIdentity()).id}`
  const child = spawn(process.execPath, [BIN, 'connect', blackhole, '--home', home], { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  let stdout = ''
  child.stderr!.setEncoding('utf8').on('data', (c: string) => { stderr += c })
  child.stdout!.setEncoding('utf8').on('data', (c: string) => { stdout += c })
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => { resolve(code) }))
  // The daemon's dial reaching the black hole: its request is in flight.
  await eventually(() => dialled, 10_000, 'the daemon to dial the black hole')
  return { child, exit, stderr: () => stderr, stdout: () => stdout }
}

describe('a crash of the daemon', () => {
  it('keeps every board edit the CLI reported', async () => {
    const home = tempHome()
    let d = await startDaemon(home)
    const board = await ok(d, ['board', 'create', 'Crash'])
    const task = await ok(d, ['task', 'add', board, 'Survive', '--estimate', '2'])
    await ok(d, ['task', 'edit', board, task, '--description', 'written just before the crash'])
    await ok(d, ['task', 'move', board, task, 'doing'])
    // Killed the moment the last command returned: no shutdown, no flush, no snapshot.
    expect(await d.stop('SIGKILL')).toBeNull()
    expect(d.child.signalCode).toBe('SIGKILL')

    d = await startDaemon(home)
    const shown = await mutualJson(['task', 'show', board, task, '--home', home])
    expect(shown.task ?? shown).toMatchObject({ title: 'Survive', estimate: 2, status: 'doing', description: 'written just before the crash' })
    expect(await d.stop()).toBe(0)
  }, 90_000)
})

describe('Ctrl-C', () => {
  it('cancels a client command: exit 130, nothing on stdout', async () => {
    const d = await startDaemon(tempHome())
    try {
      const client = await hangingConnect(d.home)
      client.child.kill('SIGINT')
      expect(await client.exit).toBe(130)
      expect(client.stdout()).toBe('')
      // The daemon is unharmed.
      expect((await mutual(['status', '--home', d.home])).code).toBe(0)
    } finally {
      expect(await d.stop()).toBe(0)
    }
  }, 60_000)

  it('a second Ctrl-C exits a stopping daemon at once with 1', async () => {
    const d = await startDaemon(tempHome())
    // A request in flight keeps the daemon's clean stop waiting (its grace for open requests).
    const client = await hangingConnect(d.home)
    d.child.kill('SIGINT')
    await eventually(() => d.stderr.includes('stopping'), 10_000, 'the daemon to start stopping')
    expect(d.child.exitCode).toBeNull()
    d.child.kill('SIGINT')
    // Waited for, not stopped: stop() would send a SIGTERM of its own, which could be taken first.
    await eventually(() => d.child.exitCode !== null || d.child.signalCode !== null, 10_000, 'the daemon to exit')
    expect(await d.stop()).toBe(1)
    expect(d.stderr).toContain('SIGINT again: exiting without a clean shutdown')
    client.child.kill('SIGKILL')
    await client.exit
  }, 60_000)
})
