import { createClient, type Client, type Input, type Output, type RouteName } from '@mutual/client'

/**
 * The page's one way to the daemon: `@mutual/client` over this origin. The browser sends the
 * session cookie by itself (HttpOnly: no script reads it); the CSRF token the login answered is
 * kept in this origin's localStorage and sent as a header, which a page on another origin can
 * neither read nor send without a CORS preflight the daemon never grants.
 */
const CSRF_KEY = 'mutual-csrf'
export const CSRF_HEADER = 'x-mutual-csrf'

let client: Client = makeClient()

function makeClient (): Client {
  const csrf = localStorage.getItem(CSRF_KEY)
  return createClient({ url: location.origin, headers: csrf === null ? {} : { [CSRF_HEADER]: csrf } })
}

export function api (): Client {
  return client
}

export async function call<N extends RouteName> (name: N, input: Input<N>, signal?: AbortSignal): Promise<Output<N>> {
  return await client.call(name, input, { signal })
}

export function hasSession (): boolean {
  return localStorage.getItem(CSRF_KEY) !== null
}

/** Trades a login code for the session cookie; keeps the CSRF token it answers. */
export async function logIn (code: string): Promise<void> {
  const session = await createClient({ url: location.origin }).call('createSession', { body: { code } })
  localStorage.setItem(CSRF_KEY, session.csrf)
  client = makeClient()
}

export async function logOut (): Promise<void> {
  try {
    await client.call('endSession', {})
  } finally {
    forgetSession()
  }
}

export function forgetSession (): void {
  localStorage.removeItem(CSRF_KEY)
  client = makeClient()
}

/** Whether an error means the session is gone (logged out everywhere, expired): the page asks for a new login link. */
export function isLoggedOut (err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'AuthenticationError'
}

/** A sentence for people from an API error: the daemon's detail, which names the rule that refused. */
export function reason (err: unknown): string {
  if (err === null || err === undefined) return ''
  const e = err as { name?: string, message?: string }
  if (e.name === 'DaemonUnreachableError') return 'the daemon is not answering'
  return e.message ?? String(err)
}
