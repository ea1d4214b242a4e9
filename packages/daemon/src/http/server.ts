import { createAdaptorServer } from '@hono/node-server'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface HttpServer {
  readonly server: Server
  readonly address: AddressInfo
  /** stops accepting, lets requests in flight finish for up to `graceMs`, then cuts what is left */
  close (graceMs?: number): Promise<void>
}

/** Serves a fetch handler over node:http on `host:port` (port 0 picks a free one). */
export async function listen (fetch: (request: Request) => Response | Promise<Response>, host: string, port: number): Promise<HttpServer> {
  const server = createAdaptorServer({ fetch }) as Server
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => { reject(err) }
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve()
    })
  })
  let closing: Promise<void> | undefined
  return {
    server,
    address: server.address() as AddressInfo,
    close: async (graceMs = 2000) => {
      closing ??= new Promise<void>((resolve) => {
        // Responses ending after close() leave keep-alive sockets idle, and close() waits for
        // them: sweep idle ones until everything is closed or the grace period is over.
        const sweep = setInterval(() => { server.closeIdleConnections() }, 25)
        const timer = setTimeout(() => { server.closeAllConnections() }, graceMs)
        server.close(() => {
          clearInterval(sweep)
          clearTimeout(timer)
          resolve()
        })
        server.closeIdleConnections()
      })
      await closing
    }
  }
}
