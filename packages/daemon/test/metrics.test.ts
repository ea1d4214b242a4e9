import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestDaemon, api, apiJson, startTestDaemon } from './helpers.js'

// Its own file (and so its own process): libp2p's Prometheus metrics register once per process.
describe('metrics', () => {
  let daemon: TestDaemon

  beforeAll(async () => {
    daemon = await startTestDaemon()
  })

  afterAll(async () => {
    await daemon?.dispose()
  })

  it('needs the token', async () => {
    const res = await fetch(`${daemon.url}/metrics`)
    expect(res.status).toBe(401)
    expect((await res.json() as { name: string }).name).toBe('AuthenticationError')
  })

  it("serves libp2p's and Mutual's metrics in Prometheus text format", async () => {
    const space = (await apiJson(daemon, '/api/v1/spaces', { method: 'POST', body: JSON.stringify({ name: 'm' }) })).body.space
    await api(daemon, `/api/v1/spaces/${space}/entries`, { method: 'POST', body: JSON.stringify({ type: 'space/note', body: { text: 'x' } }) })
    const res = await api(daemon, '/metrics')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    const text = await res.text()
    expect(text).toMatch(/^libp2p_\w+/m)
    expect(text).toMatch(/^mutual_entries_ingested_total\{origin="local"\} 2$/m)
    expect(text).toMatch(/^mutual_peers 0$/m)
    expect(text).toMatch(/^mutual_http_requests_total\{method="POST",route="\/api\/v1\/spaces",status="201"\} 1$/m)
    expect(text).toMatch(/^process_cpu_user_seconds_total /m)
  })
})
