/// <reference lib="dom" />
// Functions passed to page.evaluate run in the browser: the DOM types are theirs.
/**
 * ui-board: the board page in headless Chromium (Debian's, through playwright-core), served by a
 * real daemon. Time until a 1,000-task board is interactive — navigation start to the first frame
 * with its cards — beside a static HTML page of the same 1,000 cards served from loopback in the
 * same run; the JavaScript the board page loads (gzip) against the 250 KB budget; and frame times
 * while a card is dragged across a 10,000-task board, beside the same page's idle frames.
 */
import { createServer, type Server } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startDaemon, type Daemon } from '@mutual/daemon'
import { percentile, rounds, type BenchResult } from './lib.ts'

const CHROMIUM = process.env.MUTUAL_CHROMIUM ?? '/usr/bin/chromium'
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
const STATES = [['todo', 'To do'], ['doing', 'Doing'], ['review', 'Review'], ['done', 'Done']]
const BUDGET_KB = 250

const median = (xs: number[]): number => percentile(xs, 50)

function taskInput (i: number): { title: string, status: string, labels: string[], estimate: number, description: string } {
  return { title: `Task ${i}: check the ${['invoices', 'roster', 'release', 'survey'][i % 4]} for week ${i % 52}`, status: STATES[i % 4][0], labels: i % 3 === 0 ? ['ops'] : ['web', 'q3'], estimate: i % 8, description: '' }
}

async function boardWith (daemon: Daemon, n: number): Promise<string> {
  const res = await call(daemon, '/boards', { name: `${n} tasks` })
  const board = (res as { board: string }).board
  const replica = await daemon.boards.open(board)
  for (let from = 0; from < n; from += 500) {
    replica.edit((b) => { for (let i = from; i < Math.min(n, from + 500); i++) b.addTask(taskInput(i)) })
    await replica.flush()
  }
  return board
}

async function call (daemon: Daemon, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${daemon.url}/api/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${daemon.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return await res.json()
}

/** The same 1,000 cards as plain HTML and CSS: what a browser takes to show them with no app at all. */
function staticPage (n: number): string {
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')
  const columns = STATES.map(([id, name]) => {
    const cards: string[] = []
    for (let i = 0; i < n; i++) {
      const t = taskInput(i)
      if (t.status !== id) continue
      cards.push(`<article class="card" tabindex="0"><span class="t">${esc(t.title)}</span><span class="chips">${t.labels.map((l) => `<span class="chip">${l}</span>`).join('')}</span><span class="meta">${t.estimate} pt</span></article>`)
    }
    return `<section class="column"><h2>${name} <span>${cards.length}</span></h2>${cards.join('')}</section>`
  }).join('')
  return `<!doctype html><html><head><meta charset="utf-8"><title>static</title><style>
body{font:15px system-ui;margin:0;background:#f6f7f9}.columns{display:flex;gap:14px;padding:16px}
.column{background:#eef0f4;border-radius:12px;width:19rem;padding:8px}.card{display:grid;gap:6px;background:#fff;border:1px solid #dfe2e8;border-radius:10px;padding:10px;margin-bottom:8px}
.chip{font-size:11px;background:#e0e7ff;border-radius:999px;padding:1px 7px;margin-right:4px}.meta{font-size:12px;color:#5b6270}
</style></head><body><div class="columns">${columns}</div><script>requestAnimationFrame(()=>{performance.mark('board-interactive')})</script></body></html>`
}

async function interactiveMs (page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' })
  await page.waitForFunction(() => performance.getEntriesByName('board-interactive').length > 0, undefined, { timeout: 30_000 })
  return await page.evaluate(() => performance.getEntriesByName('board-interactive')[0].startTime)
}

/** Frame intervals (ms) over `ms`, while `during` runs. */
async function frames (page: Page, during: () => Promise<void>): Promise<number[]> {
  await page.evaluate(() => {
    const w = window as unknown as { frameTimes: number[], recording: boolean }
    w.frameTimes = []
    w.recording = true
    let last = performance.now()
    const tick = (now: number): void => {
      w.frameTimes.push(now - last)
      last = now
      if (w.recording) requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })
  await during()
  return await page.evaluate(() => {
    const w = window as unknown as { frameTimes: number[], recording: boolean }
    w.recording = false
    return w.frameTimes.slice(1)
  })
}

export default async function uiBoard (): Promise<BenchResult[]> {
  const home = mkdtempSync(join(tmpdir(), 'mutual-bench-ui-'))
  const daemon = await startDaemon({ home, listen: ['/ip4/127.0.0.1/tcp/0'], api: '127.0.0.1:0', mdns: false, dht: false, logLevel: 'error' })
  const html = staticPage(1000)
  const server: Server = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }); res.end(html) })
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve) })
  const staticUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/`
  let browser: Browser | undefined
  try {
    const small = await boardWith(daemon, 1000)
    const large = await boardWith(daemon, 10_000)
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS })
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } })
    const page = await context.newPage()
    const { url } = await call(daemon, '/session/codes', {}) as { url: string }
    await page.goto(url)
    await page.waitForURL((u) => u.pathname === '/')

    // The JavaScript the board page loads, cold.
    const scripts = new Map<string, number>()
    page.on('response', (res) => {
      if (res.request().resourceType() !== 'script') return
      res.body().then((body) => { scripts.set(res.url(), gzipSync(body).byteLength) }, () => {})
    })
    await interactiveMs(page, `${daemon.url}/boards/${small}`)
    // The event stream never ends, so "network idle" never comes: give late chunks a moment.
    await page.waitForTimeout(500)
    const jsKb = [...scripts.values()].reduce((a, b) => a + b, 0) / 1024

    const app: number[] = []
    const plain: number[] = []
    const n = rounds(7)
    for (let i = 0; i < n; i++) {
      // Interleaved, so a busy spell of the machine falls on both alike.
      app.push(await interactiveMs(page, `${daemon.url}/boards/${small}`))
      plain.push(await interactiveMs(page, staticUrl))
    }

    await interactiveMs(page, `${daemon.url}/boards/${large}`)
    await page.locator('[data-testid=card]').first().waitFor()
    const idle = await frames(page, async () => { await page.waitForTimeout(1000) })
    const box = await page.locator('[data-testid=card]').first().boundingBox()
    if (box === null) throw new Error('no card to drag')
    const drag = await frames(page, async () => {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
      await page.mouse.down()
      for (let step = 0; step < 120; step++) {
        await page.mouse.move(box.x + box.width / 2 + step * 7, box.y + box.height / 2 + Math.sin(step / 8) * 120)
        if (step === 10 && await page.locator('.card.overlay').count() !== 1) throw new Error('the drag did not start')
      }
      await page.keyboard.press('Escape')
      await page.mouse.up()
    })
    return [
      {
        name: 'ui-board-interactive',
        unit: 'ms',
        value: median(app),
        baseline: median(plain),
        baselineName: 'static HTML of the same 1,000 cards',
        baselineUnit: 'ms',
        ratio: median(app) / median(plain),
        goal: '<= 2',
        params: { tasks: 1000, rounds: n },
        samples: { value: app, baseline: plain }
      },
      {
        name: 'ui-board-js',
        unit: 'KB gzip',
        value: Math.round(jsKb * 10) / 10,
        baseline: BUDGET_KB,
        baselineName: 'budget',
        baselineUnit: 'KB gzip',
        ratio: jsKb / BUDGET_KB,
        goal: '<= 1',
        params: { files: scripts.size }
      },
      {
        name: 'ui-board-drag-frames-p95',
        unit: 'ms',
        value: percentile(drag, 95),
        baseline: percentile(idle, 95),
        baselineName: 'idle frames of the same page',
        baselineUnit: 'ms',
        ratio: percentile(drag, 95) / percentile(idle, 95),
        params: { tasks: 10_000, frames: drag.length, p50: percentile(drag, 50), max: Math.max(...drag) }
      }
    ]
  } finally {
    await browser?.close()
    await new Promise<void>((resolve) => { server.close(() => { resolve() }) })
    await daemon.stop()
    rmSync(home, { recursive: true, force: true })
  }
}
