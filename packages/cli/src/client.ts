import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ApiError, DaemonNotRunningError, InterruptedError, type Problem } from './errors.js'

/** The `api` file a running daemon writes into its home: where it listens and its bearer token. */
export interface ApiInfo {
  url: string
  token: string
  pid: number
}

export interface RequestOptions {
  signal?: AbortSignal
  query?: Record<string, string | number | undefined>
}

/** A client of one daemon's HTTP API under `/api/v1`. */
export interface Client {
  readonly api: ApiInfo
  get<T> (path: string, options?: RequestOptions): Promise<T>
  post<T> (path: string, body: unknown, options?: RequestOptions): Promise<T>
  put<T> (path: string, body: unknown, options?: RequestOptions): Promise<T>
  patch<T> (path: string, body: unknown, options?: RequestOptions): Promise<T>
  delete<T> (path: string, options?: RequestOptions): Promise<T>
}

function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export async function readApiInfo (home: string): Promise<ApiInfo> {
  const file = join(home, 'api')
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new DaemonNotRunningError(home, `no api file in ${home}`)
    throw err
  }
  let info: Partial<ApiInfo>
  try {
    info = JSON.parse(text)
  } catch {
    // A daemon writes the file atomically; a torn or hand-edited one means no usable daemon.
    throw new DaemonNotRunningError(home, `${file} is not JSON`)
  }
  if (typeof info.url !== 'string' || typeof info.token !== 'string') {
    throw new DaemonNotRunningError(home, `${file} has no url and token`)
  }
  if (typeof info.pid === 'number' && !isAlive(info.pid)) {
    throw new DaemonNotRunningError(home, `stale api file: process ${info.pid} is gone`)
  }
  return { url: info.url, token: info.token, pid: info.pid ?? 0 }
}

function refused (err: unknown): boolean {
  const cause = (err as { cause?: { code?: string, errors?: Array<{ code?: string }> } }).cause
  if (cause?.code === 'ECONNREFUSED') return true
  return cause?.errors?.some((e) => e.code === 'ECONNREFUSED') === true
}

async function problemOf (response: Response): Promise<Problem> {
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

export async function createClient (home: string): Promise<Client> {
  const api = await readApiInfo(home)

  async function request<T> (method: string, path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    const url = new URL(`/api/v1${path}`, api.url)
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value))
    }
    const headers: Record<string, string> = { authorization: `Bearer ${api.token}`, accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    let response: Response
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: options.signal
      })
    } catch (err) {
      if (options.signal?.aborted === true) throw new InterruptedError(`interrupted: ${method} ${path} cancelled`)
      if (refused(err)) throw new DaemonNotRunningError(home, `nothing answers at ${api.url}`)
      throw err
    }
    if (!response.ok) throw new ApiError(await problemOf(response))
    return await response.json() as T
  }

  return {
    api,
    get: async (path, options) => await request('GET', path, undefined, options),
    post: async (path, body, options) => await request('POST', path, body, options),
    put: async (path, body, options) => await request('PUT', path, body, options),
    patch: async (path, body, options) => await request('PATCH', path, body, options),
    delete: async (path, options) => await request('DELETE', path, undefined, options)
  }
}
