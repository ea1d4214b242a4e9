import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { cidOf, encode, generateIdentity } from '@mutual/protocol'
import { buildOnce, cleanup, mutual, tempHome } from './helpers.js'

// Commands that need no daemon, and every way of failing before one is reached.

const SPACE = cidOf(encode({ unknown: 'space' })).toString()
const WRITER = (await generateIdentity()).id

beforeAll(() => {
  buildOnce()
}, 120_000)

afterAll(cleanup)

describe('mutual init', () => {
  it('creates the home with a key and a config, and prints the id', async () => {
    const home = join(tempHome(), 'home')
    const result = await mutual(['init', '--home', home])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^12D3KooW\w+\n$/)
    expect(result.stderr).toContain(home)
    expect(statSync(home).mode & 0o777).toBe(0o700)
    expect(statSync(join(home, 'identity.key')).mode & 0o777).toBe(0o600)
    expect(existsSync(join(home, 'config.json'))).toBe(true)

    // idempotent: the same id, and it says the home exists
    const again = await mutual(['init', '--home', home])
    expect(again.code).toBe(0)
    expect(again.stdout).toBe(result.stdout)
    expect(again.stderr).toMatch(/already/)

    const json = await mutual(['init', '--home', home, '--json'])
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)).toEqual({ id: result.stdout.trim(), home, created: false })
  })

  it('reads MUTUAL_HOME when there is no --home', async () => {
    const home = join(tempHome(), 'env-home')
    const result = await mutual(['init', '--json'], { env: { MUTUAL_HOME: home } })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ home, created: true })
  })
})

describe('a bad config file', () => {
  it('init and daemon exit 2 naming the file and the field', async () => {
    const home = tempHome()
    expect((await mutual(['init', '--home', home])).code).toBe(0)
    const config = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'))
    writeFileSync(join(home, 'config.json'), JSON.stringify({ ...config, mdns: 'yes' }))
    for (const args of [['init'], ['daemon', '--no-mdns', '--api', '127.0.0.1:0', '--listen', '/ip4/127.0.0.1/tcp/0']]) {
      const result = await mutual([...args, '--home', home])
      expect(result.code).toBe(2)
      expect(result.stdout).toBe('')
      expect(result.stderr).toContain(join(home, 'config.json'))
      expect(result.stderr).toMatch(/mdns/)
      expect(result.stderr).toMatch(/ConfigError/)
    }
  })
})

describe('a bad key file', () => {
  it('init exits 2 naming the file', async () => {
    const home = tempHome()
    writeFileSync(join(home, 'identity.key'), 'not a key', { mode: 0o600 })
    const result = await mutual(['init', '--home', home])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(join(home, 'identity.key'))
    expect(result.stderr).toMatch(/KeyFileError/)
  })
})

describe('without a daemon', () => {
  it('status exits 3 and says the daemon is not running', async () => {
    const home = tempHome()
    const result = await mutual(['status', '--home', home])
    expect(result.code).toBe(3)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/daemon is not running/)
    expect(result.stderr).toContain('mutual daemon')
  })

  it('with --json the error is JSON on stderr and stdout stays empty', async () => {
    const result = await mutual(['peers', '--home', tempHome(), '--json'])
    expect(result.code).toBe(3)
    expect(result.stdout).toBe('')
    expect(JSON.parse(result.stderr)).toMatchObject({ error: { name: 'DaemonNotRunningError', exitCode: 3 } })
  })

  it('an api file whose address refuses connections is reported as not running', async () => {
    const home = tempHome()
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    await new Promise((resolve) => server.close(resolve))
    // a live pid (this test's), so only the refused connection tells
    writeFileSync(join(home, 'api'), JSON.stringify({ url: `http://127.0.0.1:${port}`, token: 'x', pid: process.pid }))
    const result = await mutual(['status', '--home', home])
    expect(result.code).toBe(3)
    expect(result.stderr).toMatch(/nothing answers/)
  })

  it('a stale api file (its process gone) is reported as not running', async () => {
    const home = tempHome()
    writeFileSync(join(home, 'api'), JSON.stringify({ url: 'http://127.0.0.1:9', token: 'x', pid: 2 ** 22 + 1 }))
    const result = await mutual(['id', '--home', home])
    expect(result.code).toBe(3)
    expect(result.stderr).toMatch(/stale api file/)
  })
})

describe('usage errors exit 2', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['no command', [], /Usage: mutual/],
    ['an unknown command', ['frobnicate'], /unknown command/],
    ['an unknown option', ['status', '--frob'], /unknown option/],
    ['a missing argument', ['connect'], /missing required argument/],
    // A text that may be a name or prefix needs the daemon to tell; a blank one is refused here.
    ['a blank space id', ['space', 'append', ' ', 'hello'], /not a space id/],
    ['a blank writer id', ['space', 'create', 'x', '--writer', ''], /not an identity id/],
    ['--limit out of range', ['space', 'entries', SPACE, '--limit', '0'], /integer from 1 to 1000/],
    ['append with neither text nor --type/--body', ['space', 'append', SPACE], /give <text>/],
    ['append with a body that is not JSON', ['space', 'append', SPACE, '--type', 'space/note', '--body', '{nope'], /not JSON/],
    ['--open with --writer', ['space', 'create', 'x', '--open', '--writer', WRITER], /exclude/]
  ]
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const result = await mutual([...args, '--home', tempHome()])
      expect(result.code).toBe(2)
      expect(result.stdout).toBe('')
      expect(result.stderr).toMatch(message)
    })
  }

  it('--help and --version exit 0 and print to stdout', async () => {
    const help = await mutual(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/Usage: mutual/)
    const version = await mutual(['--version'])
    expect(version.code).toBe(0)
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/)
  })
})
