import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestDaemon, api, apiJson, startTestDaemon, tempHome } from './helpers.js'

/** Logs a browser in with a fresh code: the cookie and the CSRF token. */
async function login (daemon: TestDaemon): Promise<{ cookie: string, csrf: string }> {
  const code = await apiJson<{ url: string }>(daemon, '/api/v1/session/codes', { method: 'POST' })
  expect(code.status).toBe(201)
  const url = new URL(code.body.url)
  expect(url.pathname).toBe('/login')
  const res = await fetch(`${daemon.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: daemon.url },
    body: JSON.stringify({ code: url.hash.slice('#code='.length) })
  })
  expect(res.status).toBe(201)
  const setCookie = res.headers.get('set-cookie') ?? ''
  const body = await res.json() as { csrf: string }
  return { cookie: setCookie.split(';')[0], csrf: body.csrf }
}

describe('browser sessions', () => {
  let daemon: TestDaemon
  let webRoot: string

  beforeAll(async () => {
    webRoot = join(await tempHome(), 'web')
    await mkdir(join(webRoot, 'assets'), { recursive: true })
    await writeFile(join(webRoot, 'index.html'), '<!doctype html><title>Mutual</title>')
    await writeFile(join(webRoot, 'assets', 'app-abc.js'), 'console.log(1)')
    daemon = await startTestDaemon({ webRoot })
  })

  afterAll(async () => {
    await daemon?.dispose()
  })

  it('sets an HttpOnly, SameSite=Strict, expiring cookie named for the port', async () => {
    const code = await apiJson<{ url: string }>(daemon, '/api/v1/session/codes', { method: 'POST' })
    const res = await fetch(`${daemon.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: new URL(code.body.url).hash.slice(6) })
    })
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(new RegExp(`^mutual-session-${new URL(daemon.url).port}=`))
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')
    expect(cookie).toMatch(/Expires=/)
    expect(cookie).not.toMatch(/Domain=/i)
  })

  it('takes the cookie with its CSRF header, and refuses it without', async () => {
    const { cookie, csrf } = await login(daemon)
    expect((await fetch(`${daemon.url}/api/v1/status`, { headers: { cookie, 'x-mutual-csrf': csrf } })).status).toBe(200)
    const bare = await fetch(`${daemon.url}/api/v1/status`, { headers: { cookie } })
    expect(bare.status).toBe(401)
    expect((await bare.json() as { name: string }).name).toBe('AuthenticationError')
    expect((await fetch(`${daemon.url}/api/v1/status`, { headers: { cookie, 'x-mutual-csrf': 'wrong' } })).status).toBe(401)
  })

  it('refuses a session used from another origin or site, even with the CSRF token', async () => {
    const { cookie, csrf } = await login(daemon)
    const other = await fetch(`${daemon.url}/api/v1/status`, { headers: { cookie, 'x-mutual-csrf': csrf, origin: 'http://127.0.0.1:1' } })
    expect(other.status).toBe(403)
    expect((await other.json() as { name: string }).name).toBe('ForbiddenOriginError')
    const site = await fetch(`${daemon.url}/api/v1/status`, { headers: { cookie, 'x-mutual-csrf': csrf, 'sec-fetch-site': 'same-site' } })
    expect(site.status).toBe(403)
  })

  it('takes a code once', async () => {
    const code = await apiJson<{ url: string }>(daemon, '/api/v1/session/codes', { method: 'POST' })
    const redeem = async (): Promise<Response> => await fetch(`${daemon.url}/api/v1/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: new URL(code.body.url).hash.slice(6) })
    })
    expect((await redeem()).status).toBe(201)
    const again = await redeem()
    expect(again.status).toBe(410)
    const problem = await again.json() as { name: string, detail: string }
    expect(problem.name).toBe('LoginCodeError')
    expect(problem.detail).toContain('mutual open')
    expect(again.headers.get('set-cookie')).toBeNull()
  })

  it('mints codes and ends sessions for the bearer token only', async () => {
    const { cookie, csrf } = await login(daemon)
    const headers = { cookie, 'x-mutual-csrf': csrf }
    expect((await fetch(`${daemon.url}/api/v1/session/codes`, { method: 'POST', headers })).status).toBe(401)
    expect((await fetch(`${daemon.url}/api/v1/sessions`, { method: 'DELETE', headers })).status).toBe(401)
    const ended = await apiJson<{ ended: number }>(daemon, '/api/v1/sessions', { method: 'DELETE' })
    expect(ended.status).toBe(200)
    expect(ended.body.ended).toBeGreaterThanOrEqual(1)
    expect((await fetch(`${daemon.url}/api/v1/status`, { headers })).status).toBe(401)
    expect((await api(daemon, '/api/v1/status')).status).toBe(200)
  })

  it('serves the UI at / with its policy, assets as files, and the shell for page URLs', async () => {
    const root = await fetch(`${daemon.url}/`)
    expect(root.status).toBe(200)
    expect(root.headers.get('content-type')).toContain('text/html')
    expect(root.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(await root.text()).toContain('<title>Mutual</title>')
    const page = await fetch(`${daemon.url}/boards/abc`)
    expect(await page.text()).toContain('<title>Mutual</title>')
    const asset = await fetch(`${daemon.url}/assets/app-abc.js`)
    expect(asset.headers.get('content-type')).toContain('text/javascript')
    expect(asset.headers.get('cache-control')).toContain('immutable')
    expect((await fetch(`${daemon.url}/assets/missing.js`)).status).toBe(404)
    expect((await fetch(`${daemon.url}/..%2f..%2fpackage.json`)).headers.get('content-type')).toContain('text/html')
    expect((await fetch(`${daemon.url}/api/v1/nothing`)).status).toBe(401)
  })
})

describe('Sessions', () => {
  it('refuses an expired code, and keeps sessions across a restart until they expire', async () => {
    const { Sessions, LOGIN_CODE_MS, SESSION_MS } = await import('../src/services/sessions.js')
    const file = join(await tempHome(), 'sessions.json')
    let now = 1_000_000
    const sessions = new Sessions({ file, now: () => now })
    await sessions.start()
    const late = sessions.createCode()
    now += LOGIN_CODE_MS
    await expect(sessions.redeem(late.code)).rejects.toMatchObject({ name: 'LoginCodeError' })
    const session = await sessions.redeem(sessions.createCode().code)
    await sessions.stop()

    const again = new Sessions({ file, now: () => now })
    await again.start()
    expect(() => { again.verify(session.id, session.csrf) }).not.toThrow()
    now += SESSION_MS
    expect(() => { again.verify(session.id, session.csrf) }).toThrow(expect.objectContaining({ name: 'AuthenticationError' }))
  })
})
