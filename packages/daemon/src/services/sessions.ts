import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { isCode, writeFileAtomic } from '../files.js'
import { AuthenticationError, LoginCodeError, SessionFileError } from '../errors.js'

/** A login code lives this long: long enough to click a link printed in a terminal. */
export const LOGIN_CODE_MS = 5 * 60_000
/** A browser session lives this long, then `mutual open` is needed again. */
export const SESSION_MS = 7 * 24 * 3_600_000
/** Sessions kept at once; the oldest go first. */
const MAX_SESSIONS = 64
/** Codes outstanding at once; the oldest go first. */
const MAX_CODES = 16

export interface LoginCode {
  code: string
  expires: number
}

export interface NewSession {
  /** the cookie value: never stored, only its hash */
  id: string
  /** the header value every cookie-authenticated request must carry */
  csrf: string
  expires: number
}

interface StoredSession {
  csrf: string
  created: number
  expires: number
}

export interface SessionsInit {
  /** the file sessions persist in, so a daemon restart does not log browsers out */
  file: string
  /** the API's base URL, once listening: login URLs point at it */
  url?: () => string
  now?: () => number
}

const hash = (secret: string): string => createHash('sha256').update(secret).digest('base64url')
const secret = (): string => randomBytes(32).toString('base64url')
/** Constant time, whatever the presented value's length: both sides are hashed first. */
const same = (a: string, b: string): boolean => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest())

/**
 * Browser sessions (DESIGN §6): `mutual open` asks for a one-time login code; the page trades it
 * for a session cookie and a CSRF token. Codes are kept in memory only (a restart voids them);
 * sessions are kept by the hash of their id in a 0600 file, so a stolen file does not give a
 * cookie.
 */
export class Sessions {
  private readonly file: string
  private readonly url: () => string
  private readonly now: () => number
  private readonly codes = new Map<string, number>()
  private sessions = new Map<string, StoredSession>()
  /** per session (by hash), what its open event streams end on */
  private readonly ending = new Map<string, { controller: AbortController, timer: ReturnType<typeof setTimeout> }>()
  private writing: Promise<void> = Promise.resolve()

  constructor (init: SessionsInit) {
    this.file = init.file
    this.url = init.url ?? (() => '')
    this.now = init.now ?? Date.now
  }

  async start (): Promise<void> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch (err) {
      if (isCode(err, 'ENOENT')) return
      throw err
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (err) {
      throw new SessionFileError(`${this.file} is not JSON; delete it to end every browser session`, { cause: err })
    }
    const now = this.now()
    for (const [key, value] of Object.entries((parsed as { sessions?: Record<string, StoredSession> }).sessions ?? {})) {
      if (typeof value?.csrf === 'string' && typeof value.expires === 'number' && value.expires > now) this.sessions.set(key, value)
    }
  }

  /** Writes are queued: the file always ends with the last state. */
  async stop (): Promise<void> {
    for (const { timer } of this.ending.values()) clearTimeout(timer)
    await this.writing
  }

  get size (): number {
    return this.sessions.size
  }

  /** A new one-time login code. */
  createCode (): LoginCode {
    const code = secret()
    const expires = this.now() + LOGIN_CODE_MS
    this.codes.set(hash(code), expires)
    while (this.codes.size > MAX_CODES) this.codes.delete(this.codes.keys().next().value as string)
    return { code, expires }
  }

  /** A one-time login URL for `mutual open`: the code rides in the fragment, which no server or log sees. */
  loginCode (): { url: string, expires: string } {
    const { code, expires } = this.createCode()
    return { url: `${this.url()}/login#code=${code}`, expires: new Date(expires).toISOString() }
  }

  /** Trades a login code for a session; a code works once, and not after it expires. */
  async redeem (code: string): Promise<NewSession> {
    const key = hash(code)
    const expires = this.codes.get(key)
    this.codes.delete(key)
    if (expires === undefined) throw new LoginCodeError('this login link was already used or is not one of this daemon\'s; run `mutual open` for a new one')
    const now = this.now()
    if (expires <= now) throw new LoginCodeError('this login link has expired; run `mutual open` for a new one')
    const session: NewSession = { id: secret(), csrf: secret(), expires: now + SESSION_MS }
    this.sessions.set(hash(session.id), { csrf: session.csrf, created: now, expires: session.expires })
    this.prune()
    await this.save()
    return session
  }

  /** Checks a cookie's session and its CSRF header; AuthenticationError if either is wrong. */
  verify (id: string, csrf: string | undefined): void {
    const key = hash(id)
    const session = this.sessions.get(key)
    if (session === undefined) throw new AuthenticationError('no such browser session: run `mutual open` to log in again')
    if (session.expires <= this.now()) {
      this.sessions.delete(key)
      throw new AuthenticationError('the browser session has expired: run `mutual open` to log in again')
    }
    if (csrf === undefined || !same(csrf, session.csrf)) throw new AuthenticationError('a browser session needs its CSRF token in the x-mutual-csrf header')
  }

  /**
   * A signal that aborts when the session ends — logged out, `mutual logout --all`, or expired —
   * so that what a request of the session keeps open (its event stream) ends with it.
   */
  signal (id: string): AbortSignal {
    const key = hash(id)
    const found = this.ending.get(key)
    if (found !== undefined) return found.controller.signal
    const controller = new AbortController()
    const session = this.sessions.get(key)
    if (session === undefined) {
      controller.abort()
      return controller.signal
    }
    const timer = setTimeout(() => { this.ended(key) }, Math.max(0, session.expires - this.now()))
    timer.unref()
    this.ending.set(key, { controller, timer })
    return controller.signal
  }

  /** Ends one session (logging out of one browser). */
  async end (id: string): Promise<void> {
    const key = hash(id)
    this.ended(key)
    if (this.sessions.delete(key)) await this.save()
  }

  /** Ends every session and voids every outstanding code (`mutual logout --all`). */
  async endAll (): Promise<number> {
    const ended = this.sessions.size
    this.sessions.clear()
    this.codes.clear()
    for (const key of [...this.ending.keys()]) this.ended(key)
    await this.save()
    return ended
  }

  private ended (key: string): void {
    const found = this.ending.get(key)
    if (found === undefined) return
    this.ending.delete(key)
    clearTimeout(found.timer)
    found.controller.abort()
  }

  private prune (): void {
    const now = this.now()
    for (const [key, s] of this.sessions) if (s.expires <= now) this.sessions.delete(key)
    while (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string)
  }

  private async save (): Promise<void> {
    const data = JSON.stringify({ v: 1, sessions: Object.fromEntries(this.sessions) }) + '\n'
    const run = this.writing.then(async () => { await writeFileAtomic(this.file, data) })
    this.writing = run.catch(() => {})
    await run
  }
}
