/// <reference lib="dom" />
// Functions passed to page.evaluate run in the browser: the DOM types are theirs.
import { createServer, type Server } from 'node:http'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildOnce, cleanup, eventually, mutual, tempHome } from '../cli/helpers.js'
import {
  buildWebOnce, freePort, launch, loggedIn, loginUrl, newPage, pageErrors, screenshot, seriousViolations, startNode, type Node
} from './harness.js'

/**
 * The web UI end to end (issue "What it must show"): two real daemon processes sharing a board,
 * two browser contexts, each logged in to its own daemon through a one-time URL.
 */

interface Task { id: string, title: string, status: string, description: string }

let a: Node
let b: Node
let c: Node | undefined
let homeA: string
let homeB: string
let portB: number
let browser: Browser
let pageA: Page
let pageB: Page
let board: string
/** The organization scene the axe test builds, reused by the tests after it. */
let scene: { org: string, ledger: string, work: string }

const column = (page: Page, status: string) => page.locator(`[data-testid=column][data-status=${status}]`)
const card = (page: Page, title: string) => page.locator('[data-testid=card]', { hasText: title })

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

async function taskOn (node: Node, title: string): Promise<Task | undefined> {
  const { tasks } = await node.api<{ tasks: Task[] }>(`/boards/${board}/tasks`)
  return tasks.find((t) => t.title === title)
}

/** Drags with the mouse in small steps, as a hand would: dnd-kit starts a drag after 5 px. */
async function drag (page: Page, from: string, toStatus: string): Promise<void> {
  const source = await card(page, from).boundingBox()
  const target = await column(page, toStatus).locator('.column-body').boundingBox()
  if (source === null || target === null) throw new Error('nothing to drag')
  await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2)
  await page.mouse.down()
  await page.mouse.move(source.x + source.width / 2 + 10, source.y + source.height / 2, { steps: 3 })
  await page.mouse.move(target.x + target.width / 2, target.y + 40, { steps: 12 })
  await page.mouse.move(target.x + target.width / 2, target.y + 44, { steps: 2 })
  await page.mouse.up()
}

beforeAll(async () => {
  buildOnce()
  buildWebOnce()
  homeA = tempHome()
  homeB = tempHome()
  portB = await freePort()
  a = await startNode(homeA, await freePort())
  b = await startNode(homeB, portB)
  board = (await a.api<{ board: string }>('/boards', { body: { name: 'Launch' } })).board
  const { ticket } = await a.api<{ ticket: string }>(`/boards/${board}/invites`, { body: { uses: 1 } })
  await b.api('/join', { body: { ticket } })
  browser = await launch()
  pageA = (await loggedIn(browser, homeA)).page
  pageB = (await loggedIn(browser, homeB)).page
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await a?.daemon.stop()
  await b?.daemon.stop()
  await c?.daemon.stop()
  cleanup()
})

describe('web UI, two daemons, two browsers', () => {
  it('logs in with a one-time URL once; a second use is refused with a page that says how to get a new one', async () => {
    expect(a.daemon.stderr).toContain('mutual open')
    const url = await loginUrl(homeA)
    const first = await newPage(browser)
    await first.page.goto(url)
    await first.page.getByRole('heading', { name: 'Boards' }).waitFor()
    expect(new URL(first.page.url()).hash).toBe('')
    const cookies = await first.context.cookies()
    const session = cookies.find((c) => c.name.startsWith('mutual-session-'))
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' })
    expect(session?.expires).toBeGreaterThan(Date.now() / 1000)

    const second = await newPage(browser)
    await second.page.goto(url)
    await expect.poll(async () => await second.page.getByTestId('login-error').textContent()).toMatch(/already used/)
    expect(await second.page.locator('pre.command').first().textContent()).toContain('mutual open')
    expect((await second.context.cookies()).some((c) => c.name.startsWith('mutual-session-'))).toBe(false)
    await first.context.close()
    await second.context.close()
  })

  it('shows a card dragged in one browser in the other', async () => {
    await a.api(`/boards/${board}/tasks`, { body: { title: 'Drag me', labels: ['web'], estimate: 3 } })
    await pageA.goto(`${a.url}/boards/${board}`)
    await pageB.goto(`${b.url}/boards/${board}`)
    await card(pageA, 'Drag me').waitFor()
    await card(pageB, 'Drag me').waitFor()
    await drag(pageA, 'Drag me', 'doing')
    await column(pageA, 'doing').locator('[data-testid=card]', { hasText: 'Drag me' }).waitFor()
    await column(pageB, 'doing').locator('[data-testid=card]', { hasText: 'Drag me' }).waitFor({ timeout: 15_000 })
    expect((await taskOn(b, 'Drag me'))?.status).toBe('doing')
  }, 60_000)

  it('moves a card by keyboard only: arrows move it, Enter opens it', async () => {
    await a.api(`/boards/${board}/tasks`, { body: { title: 'Key one' } })
    await a.api(`/boards/${board}/tasks`, { body: { title: 'Key two' } })
    await pageA.goto(`${a.url}/boards/${board}`)
    await card(pageA, 'Key two').waitFor()
    await card(pageA, 'Key two').focus()
    await pageA.keyboard.press('ArrowRight')
    await column(pageA, 'doing').locator('[data-testid=card]', { hasText: 'Key two' }).waitFor()
    // Focus stayed on the card: one more press, before the first move is back, takes it on to review.
    await eventually(async () => await pageA.evaluate(() => document.activeElement?.textContent?.includes('Key two') === true), 5_000, 'focus on the moved card')
    await pageA.keyboard.press('ArrowRight')
    await column(pageA, 'review').locator('[data-testid=card]', { hasText: 'Key two' }).waitFor()
    await eventually(async () => (await taskOn(a, 'Key two'))?.status === 'review', 10_000, 'both moves on the daemon')
    // Up and down reorder within the column.
    await a.api(`/boards/${board}/tasks`, { body: { title: 'Key three', status: 'review' } })
    await column(pageA, 'review').locator('[data-testid=card]', { hasText: 'Key three' }).waitFor()
    await card(pageA, 'Key three').focus()
    await pageA.keyboard.press('ArrowUp')
    const order = async (): Promise<string[]> => {
      const { tasks } = await a.api<{ tasks: Task[] }>(`/boards/${board}/tasks`, {})
      return tasks.filter((t) => t.status === 'review').map((t) => t.title)
    }
    await eventually(async () => (await order()).join() === 'Key three,Key two', 10_000, 'Key three above Key two')
    await card(pageA, 'Key two').focus()
    await pageA.keyboard.press('Enter')
    await pageA.waitForURL(/\/tasks\//)
    await pageA.getByRole('heading', { name: 'Key two' }).waitFor()
  }, 60_000)

  it('shows a WIP-limit refusal and puts the card back', async () => {
    const wf = { states: [{ id: 'todo', name: 'To do' }, { id: 'doing', name: 'Doing', wip: 1 }, { id: 'review', name: 'Review' }, { id: 'done', name: 'Done' }], transitions: 'any', done: 'done' }
    const limited = (await a.api<{ board: string }>('/boards', { body: { name: 'Limits', workflow: wf } })).board
    await a.api(`/boards/${limited}/tasks`, { body: { title: 'Busy', status: 'doing' } })
    await a.api(`/boards/${limited}/tasks`, { body: { title: 'Waiting' } })
    await pageA.goto(`${a.url}/boards/${limited}`)
    await card(pageA, 'Waiting').waitFor()
    expect(await column(pageA, 'doing').locator('.count').textContent()).toBe('1 / 1')
    await drag(pageA, 'Waiting', 'doing')
    await expect.poll(async () => await pageA.getByTestId('board-notice').textContent()).toMatch(/refused.*(WIP|limit)/i)
    await column(pageA, 'todo').locator('[data-testid=card]', { hasText: 'Waiting' }).waitFor()
    expect(await column(pageA, 'doing').locator('[data-testid=card]', { hasText: 'Waiting' }).count()).toBe(0)
    const { tasks } = await a.api<{ tasks: Task[] }>(`/boards/${limited}/tasks`)
    expect(tasks.find((t) => t.title === 'Waiting')?.status).toBe('todo')
  }, 60_000)

  it('converges when both type in one task description at once', async () => {
    const task = await a.api<Task>(`/boards/${board}/tasks`, { body: { title: 'Write the spec', description: 'Draft. ' } })
    await eventually(async () => (await taskOn(b, 'Write the spec')) !== undefined, 15_000, 'the task on B')
    await pageA.goto(`${a.url}/boards/${board}/tasks/${task.id}`)
    await pageB.goto(`${b.url}/boards/${board}/tasks/${task.id}`)
    const editorA = pageA.getByTestId('description')
    const editorB = pageB.getByTestId('description')
    await expect.poll(async () => await editorA.textContent()).toBe('Draft. ')
    await expect.poll(async () => await editorB.textContent()).toBe('Draft. ')
    await editorA.click()
    await pageA.keyboard.press('End')
    await editorB.click()
    await pageB.keyboard.press('End')
    await Promise.all([
      pageA.keyboard.type('Alpha writes here. ', { delay: 25 }),
      pageB.keyboard.type('Beta adds this. ', { delay: 25 })
    ])
    const settled = async (): Promise<boolean> => {
      const [ta, tb, da, db] = await Promise.all([editorA.textContent(), editorB.textContent(), taskOn(a, 'Write the spec'), taskOn(b, 'Write the spec')])
      return ta === tb && ta === da?.description && ta === db?.description
    }
    await eventually(settled, 20_000, 'both editors and both daemons to hold one text')
    const text = await editorA.textContent() ?? ''
    expect(text).toContain('Alpha writes here.')
    expect(text).toContain('Beta adds this.')
    expect(text.startsWith('Draft. ')).toBe(true)
  }, 60_000)

  it('lets no page on another local origin read or write through the API', async () => {
    const before = (await a.api<{ boards: unknown[] }>('/boards')).boards.length
    const evil: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<!doctype html><title>elsewhere</title><p>another local site</p>')
    })
    await new Promise<void>((resolve) => { evil.listen(0, '127.0.0.1', resolve) })
    const evilUrl = `http://127.0.0.1:${(evil.address() as { port: number }).port}/`
    try {
      await pageA.goto(evilUrl)
      const outcome = await pageA.evaluate(async (api) => {
        const attempt = async (init: RequestInit): Promise<string> => {
          try {
            const res = await fetch(`${api}/api/v1/boards`, { credentials: 'include', ...init })
            return res.type === 'opaque' ? 'opaque' : `read ${res.status} ${await res.text()}`
          } catch (err) {
            return `blocked: ${(err as Error).name}`
          }
        }
        return {
          read: await attempt({}),
          readWithHeader: await attempt({ headers: { 'x-mutual-csrf': 'guess' } }),
          write: await attempt({ method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ name: 'Planted' }) }),
          writeJson: await attempt({ method: 'POST', headers: { 'content-type': 'application/json', 'x-mutual-csrf': 'guess' }, body: JSON.stringify({ name: 'Planted' }) })
        }
      }, a.url)
      expect(outcome.read).toMatch(/^blocked/)
      expect(outcome.readWithHeader).toMatch(/^blocked/)
      expect(outcome.write).toBe('opaque')
      expect(outcome.writeJson).toMatch(/^blocked/)
      const boards = (await a.api<{ boards: Array<{ name: string }> }>('/boards')).boards
      expect(boards.length).toBe(before)
      expect(boards.some((x) => x.name === 'Planted')).toBe(false)
    } finally {
      await new Promise<void>((resolve) => { evil.close(() => { resolve() }) })
    }
  }, 60_000)

  it('raises the inbox count when the other side assigns a task, and shows names beside ids', async () => {
    await a.api('/profile', { method: 'PUT', body: { name: 'Ana Lima' } })
    await b.api('/profile', { method: 'PUT', body: { name: 'Bea Costa' } })
    const task = await a.api<Task>(`/boards/${board}/tasks`, { body: { title: 'Review the budget' } })
    await eventually(async () => (await taskOn(b, 'Review the budget')) !== undefined, 15_000, 'the task on B')
    await pageB.goto(`${b.url}/mine`)
    await pageB.getByRole('heading', { name: 'My work and inbox' }).waitFor()
    const badge = pageB.getByTestId('inbox-count')
    await expect.poll(async () => await badge.getAttribute('data-unread')).not.toBeNull()
    const before = Number(await badge.getAttribute('data-unread'))

    // A assigns the task to B from the task page's control.
    await pageA.goto(`${a.url}/boards/${board}/tasks/${task.id}`)
    await pageA.getByRole('heading', { name: 'Review the budget' }).waitFor()
    await pageA.getByLabel('Assign to').selectOption(b.daemon.ready.id)
    await pageA.getByRole('button', { name: 'Assign', exact: true }).click()
    // Names beside ids: the assignee by B's profile name, and not claimed yet.
    await expect.poll(async () => await pageA.getByTestId('assignee').textContent(), { timeout: 15_000 }).toBe(`Bea Costa (…${b.daemon.ready.id.slice(-6)}) unconfirmed`)

    // No reload on B: the event stream brings the count and the item.
    await expect.poll(async () => Number(await badge.getAttribute('data-unread')), { timeout: 20_000 }).toBe(before + 1)
    const item = pageB.locator('[data-testid=inbox-item][data-kind="task.assigned"]', { hasText: 'Review the budget' })
    await item.waitFor()
    expect(await item.textContent()).toContain('Ana Lima assigned "Review the budget" to you')
    await item.getByRole('button', { name: /Mark read/ }).click()
    await expect.poll(async () => Number(await badge.getAttribute('data-unread'))).toBe(before)
    expect((await b.api<{ unread: number }>('/inbox/count')).unread).toBe(before)
    await item.getByRole('link').click()
    await pageB.waitForURL(new RegExp(`/tasks/${task.id}$`))
    await pageB.getByRole('heading', { name: 'Review the budget' }).waitFor()

    // The card on A's board shows whom it is assigned to.
    await pageA.goto(`${a.url}/boards/${board}`)
    await expect.poll(async () => await card(pageA, 'Review the budget').getByTestId('card-assignee').textContent(), { timeout: 15_000 }).toContain('Bea Costa')
  }, 90_000)

  it('passes axe on every page (no serious or critical violation) and screenshots each', async () => {
    // A scene worth looking at: an organization with a reviewer, a ledger, a market with an application.
    const { org } = await a.api<{ org: string }>('/orgs', { body: { name: 'Riverside Co-op' } })
    const invite = await a.api<{ ticket: string }>(`/orgs/${org}/invites`, { body: { roles: ['member', 'reviewer'], uses: 1 } })
    await b.api('/join', { body: { ticket: invite.ticket } })
    await a.api(`/orgs/${org}/credentials`, { body: { member: a.daemon.ready.id, roles: ['member', 'reviewer'] } })
    const { ledger } = await a.api<{ ledger: string }>(`/orgs/${org}/ledger`, { body: {} })
    const work = await a.api<{ entry: { id: string } }>(`/ledgers/${ledger}/contributions`, { body: { kind: 'work', effort: 8, summary: 'Set up the release pipeline', task: 'release-pipeline' } })
    scene = { org, ledger, work: work.entry.id }
    await a.api(`/ledgers/${ledger}/contributions`, { body: { kind: 'coordination', effort: 3, summary: 'Ran the weekly planning' } })
    await b.api(`/spaces/${ledger}/join`, { method: 'POST' })
    await eventually(async () => await b.api(`/ledgers/${ledger}/contributions`).then(() => true, () => false), 15_000, 'the ledger on B')
    await eventually(async () => (await b.api<{ contributions: unknown[] }>(`/ledgers/${ledger}/contributions`)).contributions.length === 2, 15_000, 'the contributions on B')
    await b.api(`/ledgers/${ledger}/attestations`, { body: { contribution: work.entry.id, verdict: 'accept', quality: 4, note: 'works well' } })
    const { market } = await a.api<{ market: string }>('/markets', { body: { name: 'Open market' } })
    await a.api(`/markets/${market}/announcements`, { body: { title: 'Translate the handbook', summary: 'Spanish edition, 40 pages.', skills: ['spanish', 'writing'], estimate: 13, valueWeight: 2 } })
    const announcement = (await a.api<{ announcements: Array<{ id: string }> }>(`/markets/${market}`)).announcements[0].id
    await b.api(`/spaces/${market}/join`, { method: 'POST' })
    await eventually(async () => await b.api<{ announcements: unknown[] }>(`/markets/${market}`).then((m) => m.announcements.length === 1, () => false), 15_000, 'the market on B')
    await b.api(`/markets/${market}/applications`, { body: { announcement, note: 'I translated the last one.' } })
    for (const [title, labels, estimate] of [['Plan the Q3 retro', ['ops'], 2], ['Fix the login redirect', ['web', 'bug'], 3], ['Survey the members', ['research'], 5]] as const) {
      await a.api(`/boards/${board}/tasks`, { body: { title, labels, estimate, due: '2026-12-18' } })
    }
    const spec = await a.api<Task>(`/boards/${board}/tasks`, { body: { title: 'Outline the handbook', description: 'Chapters: onboarding, claims, value.', labels: ['docs'], estimate: 5 } })
    const { tasks } = await a.api<{ tasks: Task[] }>(`/boards/${board}/tasks`)
    await a.api(`/boards/${board}/tasks/${spec.id}/claim`, { method: 'POST' })
    await a.api(`/boards/${board}/tasks/${spec.id}/comments`, { body: { text: 'Draft is up, @Bea Costa please review' } })
    const survey = tasks.find((t) => t.title === 'Fix the login redirect') as Task
    await a.api(`/boards/${board}/tasks/${survey.id}/dependencies`, { body: { on: spec.id } })

    const pages: Array<[string, string, string]> = [
      ['boards', '/', 'Boards'],
      ['board', `/boards/${board}`, 'Launch'],
      ['task', `/boards/${board}/tasks/${spec.id}`, 'Outline the handbook'],
      ['my-work', '/mine', 'My work and inbox'],
      ['market', '/market', 'Market'],
      ['organization', '/orgs', 'Organization'],
      ['value', `/value?ledger=${ledger}`, 'Contributions and value'],
      ['network', '/network', 'Network']
    ]
    const report: Record<string, unknown> = {}
    for (const [name, path, heading] of pages) {
      await pageA.goto(`${a.url}${path}`)
      await pageA.getByRole('heading', { name: heading, exact: true }).first().waitFor()
      await pageA.waitForFunction(() => !document.body.innerText.includes('Loading'))
      if (name === 'value') await pageA.locator('canvas').waitFor()
      if (name === 'organization') await pageA.getByRole('heading', { name: /members/ }).waitFor()
      if (name === 'market') await pageA.getByText('I translated the last one.').waitFor({ timeout: 15_000 })
      if (name === 'my-work') await pageA.locator('[data-testid=inbox-item][data-kind="application.received"]').waitFor({ timeout: 15_000 })
      const violations = await seriousViolations(pageA)
      if (violations.length > 0) report[name] = violations
      await screenshot(pageA, name)
    }
    const dark = await loggedIn(browser, homeA, { colorScheme: 'dark' })
    await dark.page.goto(`${a.url}/boards/${board}`)
    await card(dark.page, 'Outline the handbook').waitFor()
    report['board (dark)'] = await seriousViolations(dark.page).then((v) => v.length === 0 ? undefined : v)
    await screenshot(dark.page, 'board-dark')
    await dark.page.goto(`${a.url}/mine`)
    await dark.page.locator('[data-testid=inbox-item]').first().waitFor()
    report['my-work (dark)'] = await seriousViolations(dark.page).then((v) => v.length === 0 ? undefined : v)
    await screenshot(dark.page, 'my-work-dark')
    const out = await newPage(browser)
    await out.page.goto(`${a.url}/`)
    await out.page.getByRole('heading', { name: 'Log in to Mutual' }).waitFor()
    report['logged out'] = await seriousViolations(out.page).then((v) => v.length === 0 ? undefined : v)
    await screenshot(out.page, 'login')
    await dark.context.close()
    await out.context.close()
    expect(JSON.parse(JSON.stringify(report))).toEqual({})
  }, 120_000)

  it('opens a contribution from the ledger table: its attestation note, rating and dispute outcome, with names', async () => {
    const { org, ledger, work } = scene
    // B rates the task as a consumer and disputes the contribution; C, the org's auditor on a third
    // daemon, dismisses the dispute (nobody of the author's party may resolve it).
    const auditor = await startNode(tempHome(), await freePort())
    c = auditor
    await auditor.api('/profile', { method: 'PUT', body: { name: 'Cy Reyes' } })
    const invite = await a.api<{ ticket: string }>(`/orgs/${org}/invites`, { body: { roles: ['member', 'auditor'], uses: 1 } })
    await auditor.api('/join', { body: { ticket: invite.ticket } })
    await auditor.api(`/spaces/${ledger}/join`, { method: 'POST' })
    await a.api(`/orgs/${org}/credentials`, { body: { member: b.daemon.ready.id, roles: ['consumer'] } })
    await eventually(async () => await b.api(`/ledgers/${ledger}/feedback`, { body: { task: 'release-pipeline', satisfaction: 4, note: 'ships every Friday now' } }).then(() => true, () => false), 15_000, "B's consumer credential")
    const dispute = await b.api<{ entry: { id: string } }>(`/ledgers/${ledger}/disputes`, { body: { target: work, reason: 'half of it was done last month' } })
    await eventually(async () => await auditor.api(`/ledgers/${ledger}/disputes/${dispute.entry.id}/resolve`, { body: { outcome: 'dismissed', note: 'the history shows it was done this month' } }).then(() => true, () => false), 20_000, 'the dispute at C')

    await pageA.goto(`${a.url}/value?ledger=${ledger}`)
    await pageA.getByRole('link', { name: 'Set up the release pipeline' }).click()
    await pageA.waitForURL(new RegExp(`/value/${ledger}/contributions/${work}$`))
    const detail = pageA.getByTestId('contribution')
    await detail.getByRole('heading', { name: 'Set up the release pipeline' }).waitFor()
    const bea = `Bea Costa (…${b.daemon.ready.id.slice(-6)})`
    const attestation = detail.getByTestId('attestations').locator('tbody tr')
    await expect.poll(async () => await attestation.innerText(), { timeout: 15_000 }).toMatch(new RegExp(`^${escape(bea)}\\s+accept\\s+4\\s+works well`))
    const rating = detail.getByTestId('feedback').locator('tbody tr')
    await expect.poll(async () => await rating.innerText(), { timeout: 15_000 }).toMatch(new RegExp(`^${escape(bea)}\\s+4/5\\s+ships every Friday now`))
    const outcome = detail.locator('[data-testid=dispute]')
    await expect.poll(async () => await outcome.getAttribute('data-status'), { timeout: 15_000 }).toBe('dismissed')
    const outcomeText = await outcome.innerText()
    const cy = `Cy Reyes (…${auditor.daemon.ready.id.slice(-6)})`
    await expect.poll(async () => await outcome.innerText(), { timeout: 15_000 }).toContain(`Decided by ${cy}`)
    expect(outcomeText).toContain(`${bea}: half of it was done last month`)
    expect(await outcome.innerText()).toContain(`Resolution by ${cy}: dismissed — the history shows it was done this month`)
    // Its line of the shares explanation: the signal values beside the policy's weights.
    const explanation = detail.getByTestId('explanation')
    const shares = await a.api<{ policy: { weights: Record<string, number> }, distribution: { contributions: Array<{ id: string, satisfaction: number, quality: number }> } }>(`/ledgers/${ledger}/shares?explain=true`)
    const line = shares.distribution.contributions.find((l) => l.id === work)
    await expect.poll(async () => await explanation.locator('tr', { hasText: /satisfaction/i }).innerText(), { timeout: 15_000 })
      .toMatch(new RegExp(`^satisfaction\\s+${line?.satisfaction ?? 'missing'} \\(1 rating\\)\\s+${shares.policy.weights.satisfaction}$`, 'i'))
    expect(await explanation.locator('tr', { hasText: /quality/i }).innerText()).toMatch(new RegExp(`^quality\\s+${line?.quality ?? 'missing'} \\(1 ✓ 0 ✗\\)\\s+${shares.policy.weights.quality}$`, 'i'))

    const report: Record<string, unknown> = {}
    report.contribution = await seriousViolations(pageA).then((v) => v.length === 0 ? undefined : v)
    await screenshot(pageA, 'contribution', { fullPage: true })
    const dark = await loggedIn(browser, homeA, { colorScheme: 'dark' })
    await dark.page.goto(`${a.url}/value/${ledger}/contributions/${work}`)
    await dark.page.locator('[data-testid=dispute][data-status=dismissed]').waitFor()
    report['contribution (dark)'] = await seriousViolations(dark.page).then((v) => v.length === 0 ? undefined : v)
    await screenshot(dark.page, 'contribution-dark', { fullPage: true })
    await dark.context.close()
    expect(JSON.parse(JSON.stringify(report))).toEqual({})

    // B's inbox item about the resolution links to the same page.
    await pageB.goto(`${b.url}/mine`)
    await pageB.locator('[data-testid=inbox-item][data-kind="dispute.resolved"]').getByRole('link').click()
    await pageB.waitForURL(new RegExp(`/value/${ledger}/contributions/${work}$`))
    await pageB.getByTestId('contribution').getByRole('heading', { name: 'Set up the release pipeline' }).waitFor()
  }, 90_000)

  it('declines an application with a reason from the market page', async () => {
    await pageA.goto(`${a.url}/market`)
    await pageA.getByText('I translated the last one.').waitFor()
    const decline = pageA.getByRole('button', { name: 'Decline' })
    expect(await decline.isDisabled()).toBe(true)
    await pageA.getByPlaceholder('Reason (required)').fill('Already taken by the Lisbon team')
    await decline.click()
    await pageA.locator('.pill', { hasText: 'declined' }).waitFor()
    await pageA.getByText('decline by').waitFor()
  }, 60_000)

  it('shows a banner while the daemon is down and clears it when it returns', async () => {
    await pageB.goto(`${b.url}/boards/${board}`)
    await card(pageB, 'Drag me').waitFor()
    expect(await pageB.getByTestId('offline-banner').count()).toBe(0)
    await b.daemon.stop()
    await pageB.getByTestId('offline-banner').waitFor({ timeout: 15_000 })
    b = await startNode(homeB, portB)
    await pageB.getByTestId('offline-banner').waitFor({ state: 'detached', timeout: 20_000 })
    // The session outlived the restart, and the board is live again.
    await b.api(`/boards/${board}/tasks`, { body: { title: 'After the restart' } })
    await card(pageB, 'After the restart').waitFor({ timeout: 20_000 })
  }, 90_000)

  it('ends every browser session with mutual logout --all, and the event streams open in them', async () => {
    await pageA.goto(`${a.url}/boards/${board}`)
    await card(pageA, 'Drag me').waitFor()
    // A second stream of the session, read by hand: it must end, not merely stop being used.
    await pageA.evaluate(async () => {
      const res = await fetch('/api/v1/events', { headers: { 'x-mutual-csrf': localStorage.getItem('mutual-csrf') ?? '' } })
      const reader = (res.body as ReadableStream<Uint8Array>).getReader()
      ;(window as unknown as { streamEnded: Promise<string> }).streamEnded = (async () => {
        for (;;) if ((await reader.read()).done) return 'ended'
      })()
    })
    const result = await mutual(['logout', '--all', '--home', homeA])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/browser sessions? ended/)
    expect(await pageA.evaluate(async () => await (window as unknown as { streamEnded: Promise<string> }).streamEnded)).toBe('ended')
    // The page finds out by itself, with no navigation: its stream ended and reconnecting is refused.
    await pageA.getByRole('heading', { name: 'Log in to Mutual' }).waitFor({ timeout: 15_000 })
  }, 60_000)

  it('has no page errors', () => {
    expect(pageErrors).toEqual([])
  })
})
