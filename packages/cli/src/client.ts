import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createClient as createApiClient, type CallOptions, type Client as ApiClient, type Input, type Output, type RouteName } from '@mutual/client'
import { DaemonNotRunningError, InterruptedError } from './errors.js'

/** The `api` file a running daemon writes into its home: where it listens and its bearer token. */
export interface ApiInfo {
  url: string
  token: string
  pid: number
}

/** The daemon's API client as commands use it: calls by route name, a dead daemon reported as DaemonNotRunningError. */
export interface Client {
  readonly api: ApiInfo
  call<N extends RouteName> (name: N, input: Input<N>, options?: CallOptions): Promise<Output<N>>
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

export async function createClient (home: string): Promise<Client> {
  const api = await readApiInfo(home)
  const client: ApiClient = createApiClient({ url: api.url, token: api.token })
  return {
    api,
    async call (name, input, options) {
      try {
        return await client.call(name, input, options)
      } catch (err) {
        const e = err as Error
        if (e.name === 'RequestAbortedError') throw new InterruptedError(`interrupted: ${e.message}`, { cause: e })
        if (e.name === 'DaemonUnreachableError') throw new DaemonNotRunningError(home, e.message)
        throw err
      }
    }
  }
}
