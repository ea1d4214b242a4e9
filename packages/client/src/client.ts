import type { RouteName } from '@mutual/daemon/contract'
import { ApiError, ClientUsageError, DaemonUnreachableError, RequestAbortedError, type ProblemDetails } from './errors.js'
import { ROUTES } from './routes.js'
import type { Input, Output } from './types.js'

export interface ClientInit {
  /** the daemon's base URL, e.g. `http://127.0.0.1:40123`; in a page served by the daemon, its origin */
  url: string
  /** the bearer token (CLI, scripts); a browser page sends its session cookie instead */
  token?: string
  /** extra headers on every request (a browser page's CSRF header, say) */
  headers?: Record<string, string>
  /** a fetch to use (default the global one) */
  fetch?: typeof fetch
}

export interface CallOptions {
  signal?: AbortSignal
}

/** A client of one daemon's HTTP API. */
export interface Client {
  readonly url: string
  /** Calls a route of the contract by name; resolves to its success JSON, rejects with ApiError (named by the daemon's error). */
  call<N extends RouteName> (name: N, input: Input<N>, options?: CallOptions): Promise<Output<N>>
  /** The raw fetch of a path under the daemon (the event stream uses it). */
  fetch (path: string, init?: RequestInit): Promise<Response>
}

/** Fills `{name}` segments of a route path from the params, each encoded as one path segment. */
export function routePath (template: string, params: Record<string, unknown> | undefined): string {
  return template.replace(/\{([a-z]+)\}/gi, (_, key: string) => {
    const value = params?.[key]
    if (value === undefined || value === null || value === '') throw new ClientUsageError(`the route ${template} needs the parameter "${key}"`)
    return encodeURIComponent(String(value))
  })
}

export function createClient (init: ClientInit): Client {
  const doFetch = init.fetch ?? globalThis.fetch.bind(globalThis)
  const base = init.url.replace(/\/$/, '')
  const headers = (extra: Record<string, string>): Record<string, string> => ({
    ...(init.token === undefined ? {} : { authorization: `Bearer ${init.token}` }),
    ...init.headers,
    ...extra
  })

  const send = async (path: string, request: RequestInit): Promise<Response> => {
    try {
      return await doFetch(base + path, request)
    } catch (err) {
      if (request.signal?.aborted === true) throw new RequestAbortedError(`${request.method ?? 'GET'} ${path} was cancelled`, { cause: err })
      if (refused(err)) throw new DaemonUnreachableError(`nothing answers at ${base}`, { cause: err })
      throw err
    }
  }

  return {
    url: base,
    async call (name, input, options = {}) {
      const route = (ROUTES as Record<string, readonly [string, string] | undefined>)[name]
      if (route === undefined) throw new ClientUsageError(`no route "${String(name)}" in the API contract`)
      const [method, template] = route
      const { params, query, body } = input as { params?: Record<string, unknown>, query?: Record<string, unknown>, body?: unknown }
      let path = routePath(template, params)
      const search = new URLSearchParams()
      for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) search.set(key, String(value))
      if (search.size > 0) path += `?${search.toString()}`
      const response = await send(path, {
        method: method.toUpperCase(),
        headers: headers({ accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) }),
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: options.signal
      })
      if (!response.ok) throw new ApiError(await problemOf(response))
      return await response.json() as Output<typeof name>
    },
    async fetch (path, request = {}) {
      return await send(path, { ...request, headers: headers((request.headers as Record<string, string> | undefined) ?? {}) })
    }
  }
}

function refused (err: unknown): boolean {
  const cause = (err as { cause?: { code?: string, errors?: Array<{ code?: string }> } }).cause
  if (cause?.code === 'ECONNREFUSED' || cause?.code === 'ECONNRESET') return true
  if (cause?.errors?.some((e) => e.code === 'ECONNREFUSED') === true) return true
  // A browser's fetch says only "Failed to fetch" when nothing answers.
  return err instanceof TypeError && /fetch/i.test(err.message) && cause === undefined
}

/** The problem a failed response carries; one built from the status line when the body is not one. */
export async function problemOf (response: Response): Promise<ProblemDetails> {
  const text = await response.text()
  try {
    const body = JSON.parse(text)
    if (typeof body === 'object' && body !== null && typeof body.title === 'string') {
      return { status: response.status, type: 'about:blank', ...body }
    }
  } catch {
    // not JSON: fall through to a problem built from the status line
  }
  return { type: 'about:blank', title: response.statusText, status: response.status, detail: text.slice(0, 200) || response.statusText }
}
