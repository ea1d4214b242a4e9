import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer } from 'node:net'
import { cidOf, encode, generateIdentity } from '@mutual/protocol'
import { ANSI, buildOnce, cleanup, mutual, mutualJson, startDaemon, tempHome, type DaemonProcess } from './helpers.js'

// Every client command against one real daemon process: human output, --json output, exit code.

let daemon: DaemonProcess
let home: string
const run = async (args: string[], env?: Record<string, string | undefined>): ReturnType<typeof mutual> =>
  await mutual([...args, '--home', home], { env })
const json = async <T = any>(args: string[]): Promise<T> => await mutualJson<T>([...args, '--home', home])

beforeAll(async () => {
  buildOnce()
  home = tempHome()
  daemon = await startDaemon(home)
}, 120_000)

afterAll(async () => {
  // The daemon must stop cleanly on SIGTERM; cleanup kills it anyway if a test failed first.
  try {
    if (daemon !== undefined) expect(await daemon.stop()).toBe(0)
  } finally {
    cleanup()
  }
})

describe('mutual daemon (human output)', () => {
  it('prints its id, listen addresses and API URL on stdout once ready', () => {
    expect(daemon.ready.id).toMatch(/^12D3KooW/)
    expect(daemon.ready.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(daemon.ready.addresses.length).toBeGreaterThan(0)
    for (const address of daemon.ready.addresses) expect(address).toMatch(new RegExp(`^/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/${daemon.ready.id}$`))
  })
})

describe('status and id', () => {
  it('status', async () => {
    const human = await run(['status'])
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(new RegExp(`^id\\s+${daemon.ready.id}$`, 'm'))
    expect(human.stdout).toMatch(/^status\s+running$/m)
    expect(human.stdout).toMatch(/^mdns\s+off$/m)
    expect(human.stdout).toContain(daemon.ready.api)

    const status = await json(['status'])
    expect(status).toMatchObject({ id: daemon.ready.id, api: daemon.ready.api, mdns: false, peers: 0, spaces: 0 })
    expect(typeof status.version).toBe('string')
    expect(typeof status.uptimeMs).toBe('number')
    expect(status.addresses).toEqual(daemon.ready.addresses)
  })

  it('id', async () => {
    const human = await run(['id'])
    expect(human.code).toBe(0)
    expect(human.stdout.split('\n')[0]).toBe(daemon.ready.id)
    expect(await json(['id'])).toEqual({ id: daemon.ready.id, addresses: daemon.ready.addresses })
  })
})

describe('peers, connect and doctor', () => {
  it('peers with none connected', async () => {
    const human = await run(['peers'])
    expect(human.code).toBe(0)
    expect(human.stdout).toBe('')
    expect(human.stderr).toMatch(/no peers/)
    expect(await json(['peers'])).toEqual({ peers: [] })
  })

  it('connect to a malformed multiaddr exits 4', async () => {
    const result = await run(['connect', '/ip4/nope'])
    expect(result.code).toBe(4)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/InvalidAddressError/)
  })

  it('connect to an unreachable peer exits 6', async () => {
    const port = await closedPort()
    const peer = (await generateIdentity()).id
    const result = await run(['connect', `/ip4/127.0.0.1/tcp/${port}/p2p/${peer}`, '--json'])
    expect(result.code).toBe(6)
    expect(result.stdout).toBe('')
    expect(result.stderr.split('\n')).toContainEqual(expect.stringMatching(/dialling/))
    const error = JSON.parse(result.stderr.trim().split('\n').at(-1)!)
    expect(error).toMatchObject({ error: { name: 'DialError', status: 502, exitCode: 6 } })
  })

  it('doctor: one line per check, exit 1 when one warns (a daemon on loopback only does)', async () => {
    const human = await run(['doctor'])
    expect(human.stdout).toMatch(/^(ok|warn)\s+\S/m)
    const result = await run(['doctor', '--json'])
    const { checks } = JSON.parse(result.stdout) as { checks: Array<{ name: string, ok: boolean, detail: string }> }
    expect(checks.length).toBeGreaterThan(0)
    const warned = checks.filter((c) => !c.ok).length
    expect(checks.find((c) => c.name === 'listen')?.ok).toBe(false)
    for (const r of [human, result]) expect(r.code).toBe(1)
    expect(human.stderr).toContain(`${warned} of ${checks.length} checks need attention`)
    expect(JSON.parse(result.stderr.trim().split('\n').at(-1)!)).toMatchObject({ error: { name: 'DoctorWarningError', exitCode: 1 } })
    for (const check of checks) {
      expect(typeof check.name).toBe('string')
      expect(typeof check.ok).toBe('boolean')
      expect(typeof check.detail).toBe('string')
    }
    // one human line per check
    expect(human.stdout.trim().split('\n')).toHaveLength(checks.length)
  })
})

describe('spaces', () => {
  let space: string

  it('create prints the space id (human) or the genesis (json)', async () => {
    const human = await run(['space', 'create', 'notes'])
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/^b\w+\n$/)
    expect(human.stderr).toMatch(/created space "notes"/)
    space = human.stdout.trim()

    const writer = (await generateIdentity()).id
    const created = await json(['space', 'create', 'shared', '--writer', writer])
    expect(created.space).toMatch(/^b\w+$/)
    expect(created.genesis).toMatchObject({ space: created.space, author: daemon.ready.id, seq: 1, type: 'space/genesis' })
    expect(created.genesis.body.policy).toEqual({ write: 'listed', writers: [writer] })

    const open = await json(['space', 'create', 'market', '--open'])
    expect(open.genesis.body.policy.write).toBe('anyone')
  })

  it('list', async () => {
    const human = await run(['space', 'list'])
    expect(human.code).toBe(0)
    expect(human.stdout.split('\n')[0]).toMatch(/^SPACE\s+NAME\s+KIND\s+AUTHORS\s+ENTRIES$/)
    expect(human.stdout).toMatch(new RegExp(`^${space}\\s+notes\\s+raw\\s+1\\s+1$`, 'm'))
    const { spaces } = await json(['space', 'list'])
    expect(spaces).toHaveLength(3)
    expect(spaces).toContainEqual({ space, name: 'notes', kind: 'raw', owner: daemon.ready.id, authors: 1, entries: 1 })
  })

  it('append a note, or a typed entry', async () => {
    const human = await run(['space', 'append', space, 'hello from the CLI'])
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/^b\w+\n$/)
    expect(human.stderr).toMatch(/appended space\/note #2/)

    const entry = await json(['space', 'append', space, '--type', 'space/note', '--body', '{"text":"second"}'])
    expect(entry).toMatchObject({ space, author: daemon.ready.id, seq: 3, prev: human.stdout.trim(), type: 'space/note', body: { text: 'second' } })
    expect(entry.ts).toHaveLength(2)
  })

  it('append refused by the daemon exits 4', async () => {
    const unknown = await run(['space', 'append', cidOf(encode({ not: 'held' })).toString(), 'hi'])
    expect(unknown.code).toBe(4)
    expect(unknown.stderr).toMatch(/UnknownSpaceError/)

    const badBody = await run(['space', 'append', space, '--type', 'space/note', '--body', '{"text":1}'])
    expect(badBody.code).toBe(4)
    expect(badBody.stderr).toMatch(/BodySchemaError/)

    const badType = await run(['space', 'append', space, '--type', 'no/such', '--body', '{}', '--json'])
    expect(badType.code).toBe(4)
    expect(JSON.parse(badType.stderr)).toMatchObject({ error: { name: 'UnknownTypeError', status: 400, exitCode: 4 } })
  })

  it('entries', async () => {
    const human = await run(['space', 'entries', space])
    expect(human.code).toBe(0)
    const lines = human.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^AUTHOR\s+SEQ\s+TIME\s+TYPE\s+BODY$/)
    expect(lines).toHaveLength(4)
    expect(lines[2]).toMatch(/\s2\s+\d{4}-\d\d-\d\dT[\d:]+Z\s+space\/note\s+hello from the CLI$/)

    const { entries } = await json(['space', 'entries', space])
    expect(entries.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3])
    const page = await json(['space', 'entries', space, '--author', daemon.ready.id, '--from', '2', '--limit', '1'])
    expect(page.entries).toHaveLength(1)
    expect(page.entries[0]).toMatchObject({ seq: 2, body: { text: 'hello from the CLI' } })
  })

  it('vector', async () => {
    const human = await run(['space', 'vector', space])
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(new RegExp(`^${daemon.ready.id}\\s+3\\s+b\\w+$`, 'm'))
    const vector = await json(['space', 'vector', space])
    expect(vector).toMatchObject({ space, vector: { [daemon.ready.id]: { seq: 3 } } })
  })

  it('join a space not held yet', async () => {
    const other = cidOf(encode({ elsewhere: true })).toString()
    const human = await run(['space', 'join', other])
    expect(human.code).toBe(0)
    expect(human.stdout).toBe(`${other}\n`)
    expect(await json(['space', 'join', other])).toEqual({ space: other })
  })

  it('status counts the spaces', async () => {
    expect((await json(['status'])).spaces).toBeGreaterThanOrEqual(3)
  })
})

describe('output discipline', () => {
  it('no color when stdout is not a terminal, color with FORCE_COLOR, none with NO_COLOR', async () => {
    const piped = await run(['space', 'list'])
    expect(piped.stdout).not.toMatch(ANSI)
    const forced = await run(['space', 'list'], { FORCE_COLOR: '1' })
    expect(forced.stdout).toMatch(ANSI)
    const noColor = await run(['space', 'list'], { FORCE_COLOR: '1', NO_COLOR: '1' })
    expect(noColor.stdout).not.toMatch(ANSI)
    expect(noColor.stdout).toBe(piped.stdout)
    const errors = await run(['space', 'append', cidOf(encode({ not: 'held' })).toString(), 'hi'], { FORCE_COLOR: '1', NO_COLOR: '1' })
    expect(errors.stderr).not.toMatch(ANSI)
  })

  it('--json puts only JSON on stdout, for every command', async () => {
    for (const args of [['status'], ['id'], ['peers'], ['doctor'], ['space', 'list']]) {
      const result = await run([...args, '--json'])
      expect(result.code).toBe(args[0] === 'doctor' ? 1 : 0)
      expect(() => JSON.parse(result.stdout)).not.toThrow()
    }
  })

  it('--json may also come before the command', async () => {
    const result = await mutual(['--json', '--home', home, 'id'])
    expect(JSON.parse(result.stdout).id).toBe(daemon.ready.id)
  })
})

async function closedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}
