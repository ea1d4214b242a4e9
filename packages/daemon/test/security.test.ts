import { stat } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readApiFile } from '@mutual/daemon'
import { type TestDaemon, api, rawRequest, startTestDaemon } from './helpers.js'

describe('API security', () => {
  let daemon: TestDaemon
  let port: number

  beforeAll(async () => {
    daemon = await startTestDaemon()
    port = (daemon.server.address() as AddressInfo).port
  })

  afterAll(async () => {
    await daemon?.dispose()
  })

  it('listens on 127.0.0.1 only by default', () => {
    const address = daemon.server.address() as AddressInfo
    expect(address.address).toBe('127.0.0.1')
    expect(daemon.url).toBe(`http://127.0.0.1:${address.port}`)
  })

  it('refuses a request without a token with 401 problem+json', async () => {
    const res = await fetch(`${daemon.url}/api/v1/status`)
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    const problem = await res.json() as Record<string, unknown>
    expect(problem).toMatchObject({ status: 401, name: 'AuthenticationError', type: 'https://mutual.dev/problems/authentication-error' })
    expect(typeof problem.title).toBe('string')
    expect(typeof problem.detail).toBe('string')
  })

  it('refuses a wrong token with 401', async () => {
    const wrong = await api(daemon, '/api/v1/status', { headers: { authorization: `Bearer ${'0'.repeat(64)}` } })
    expect(wrong.status).toBe(401)
    const short = await api(daemon, '/api/v1/status', { headers: { authorization: 'Bearer x' } })
    expect(short.status).toBe(401)
    const basic = await api(daemon, '/api/v1/status', { headers: { authorization: `Basic ${daemon.token}` } })
    expect(basic.status).toBe(401)
  })

  it('answers the right token', async () => {
    const res = await api(daemon, '/api/v1/status')
    expect(res.status).toBe(200)
  })

  it('refuses a Host outside the allow-list with 403, even with the token', async () => {
    const auth = { authorization: `Bearer ${daemon.token}` }
    const evil = await rawRequest(`${daemon.url}/api/v1/status`, { headers: { ...auth, host: `evil.example:${port}` } })
    expect(evil.status).toBe(403)
    expect(JSON.parse(evil.body)).toMatchObject({ status: 403, name: 'ForbiddenHostError' })
    const otherPort = await rawRequest(`${daemon.url}/api/v1/status`, { headers: { ...auth, host: `127.0.0.1:${port + 1}` } })
    expect(otherPort.status).toBe(403)
    // the probes are guarded too: a rebinding page learns nothing
    const health = await rawRequest(`${daemon.url}/healthz`, { headers: { host: `evil.example:${port}` } })
    expect(health.status).toBe(403)
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      const ok = await rawRequest(`${daemon.url}/api/v1/status`, { headers: { ...auth, host } })
      expect(ok.status, host).toBe(200)
    }
  })

  it('refuses a state change from a foreign Origin with 403, allows its own origin', async () => {
    const body = JSON.stringify({ name: 'origin test' })
    const foreign = await api(daemon, '/api/v1/spaces', { method: 'POST', body, headers: { origin: 'https://evil.example' } })
    expect(foreign.status).toBe(403)
    expect((await foreign.json() as { name: string }).name).toBe('ForbiddenOriginError')
    const own = await api(daemon, '/api/v1/spaces', { method: 'POST', body, headers: { origin: `http://localhost:${port}` } })
    expect(own.status).toBe(201)
    const none = await api(daemon, '/api/v1/spaces', { method: 'POST', body })
    expect(none.status).toBe(201)
    // reads are not state changes
    const read = await api(daemon, '/api/v1/spaces', { headers: { origin: 'https://evil.example' } })
    expect(read.status).toBe(200)
  })

  it('keeps its secrets owner-only: home 0700; key, token, api and config files 0600', async () => {
    const mode = async (file: string): Promise<number> => (await stat(file)).mode & 0o777
    expect(await mode(daemon.paths.home)).toBe(0o700)
    expect(await mode(daemon.paths.identity)).toBe(0o600)
    expect(await mode(daemon.paths.token)).toBe(0o600)
    expect(await mode(daemon.paths.api)).toBe(0o600)
    expect(await mode(daemon.paths.config)).toBe(0o600)
    expect(await mode(daemon.paths.lock)).toBe(0o600)
  })

  it('writes the api file with url, token and pid', async () => {
    expect(await readApiFile(daemon.paths.api)).toEqual({ url: daemon.url, token: daemon.token, pid: process.pid })
    expect(daemon.token).toMatch(/^[0-9a-f]{64}$/)
  })
})
