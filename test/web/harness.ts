/// <reference lib="dom" />
// Functions passed to page.evaluate run in the browser: the DOM types are theirs.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import axe from 'axe-core'
import { expect } from 'vitest'
import { ROOT, mutual, startDaemon, type DaemonProcess } from '../cli/helpers.js'

export { freePort } from '../cli/helpers.js'

/** Helpers for the browser tests: real daemon processes, Debian's Chromium through playwright-core. */

export const CHROMIUM = process.env.MUTUAL_CHROMIUM ?? '/usr/bin/chromium'
export const SCREENSHOTS = join(ROOT, 'docs/screenshots')

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic'
]

/** Builds the web UI if this checkout has no build yet (`pnpm test` builds it first anyway). */
export function buildWebOnce (): void {
  if (existsSync(join(ROOT, 'packages/web/dist/index.html'))) return
  const vite = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', 'packages/web'], { cwd: ROOT, encoding: 'utf8' })
  if (vite.status !== 0) throw new Error(`web build failed:\n${vite.stdout}${vite.stderr}`)
}

/** Launches headless Chromium; Playwright gives each launch a fresh temporary profile. */
export async function launch (): Promise<Browser> {
  return await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
}


export interface Node {
  daemon: DaemonProcess
  url: string
  token: string
  /** a call to the API with the bearer token, for setting scenes up */
  api: <T = any>(path: string, init?: { method?: string, body?: unknown }) => Promise<T>
}

export async function startNode (home: string, port: number, args: string[] = []): Promise<Node> {
  const daemon = await startDaemon(home, { args: ['--api', `127.0.0.1:${port}`, ...args] })
  const file = JSON.parse(readFileSync(join(home, 'api'), 'utf8')) as { url: string, token: string }
  const api = async <T = any>(path: string, init: { method?: string, body?: unknown } = {}): Promise<T> => {
    const res = await fetch(`${file.url}/api/v1${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { authorization: `Bearer ${file.token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body)
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`)
    return JSON.parse(text) as T
  }
  return { daemon, url: file.url, token: file.token, api }
}

/** A one-time login URL from `mutual open`, as a person would get it. */
export async function loginUrl (home: string): Promise<string> {
  const result = await mutual(['open', '--no-browser', '--home', home])
  expect(result.code, result.stderr).toBe(0)
  const url = result.stdout.trim()
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/login#code=/)
  return url
}

/** Errors thrown in pages; a test ends by expecting none. */
export const pageErrors: Error[] = []

export async function newPage (browser: Browser, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<{ context: BrowserContext, page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, colorScheme: options.colorScheme ?? 'light' })
  const page = await context.newPage()
  page.on('pageerror', (err) => { pageErrors.push(err) })
  return { context, page }
}

/** A browser context logged in to a node through its one-time URL. */
export async function loggedIn (browser: Browser, home: string, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<{ context: BrowserContext, page: Page }> {
  const { context, page } = await newPage(browser, options)
  await page.goto(await loginUrl(home))
  await page.waitForURL((u) => u.pathname === '/')
  await page.getByRole('heading', { name: 'Boards' }).waitFor()
  return { context, page }
}

export interface AxeViolation { id: string, impact: string | null, help: string, nodes: number }

/** Runs axe-core in the page; resolves to the serious and critical violations. */
export async function seriousViolations (page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axe.source)
  const results = await page.evaluate(async () => {
    const a = (window as unknown as { axe: typeof axe }).axe
    const r = await a.run(document, { resultTypes: ['violations'] })
    return r.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, nodes: v.nodes.length }))
  })
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/** A screenshot into docs/screenshots/, for the README. */
export async function screenshot (page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: options.fullPage === true })
}
