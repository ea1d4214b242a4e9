import { createAdaptorServer } from '@hono/node-server'
import type { Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { STATUS_CODES } from 'node:http'
import { HeaderTooLargeError, InvalidRequestError } from '../errors.js'
import { problemOf } from './problem.js'

export interface HttpServer {
  readonly server: Server
  readonly address: AddressInfo
  /** stops accepting, lets requests in flight finish for up to `graceMs`, then cuts what is left */
  close (graceMs?: number): Promise<void>
}

/** Serves a fetch handler over node:http on `host:port` (port 0 picks a free one). */
export async function listen (fetch: (request: Request) => Response | Promise<Response>, host: string, port: number): Promise<HttpServer> {
  const server = createAdaptorServer({ fetch }) as Server
  server.on('clientError', answerClientError)
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

/**
 * Requests node:http refuses before any route sees them (a request line and headers past its
 * 16 KiB bound, a malformed request) get a problem+json answer like every other refusal,
 * instead of node's bare status line.
 */
function answerClientError (err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy()
    return
  }
  const problem = problemOf(err.code === 'HPE_HEADER_OVERFLOW'
    ? new HeaderTooLargeError('the request line and headers exceed 16 KiB')
    : new InvalidRequestError(`malformed HTTP request (${err.code ?? err.message})`))
  const body = JSON.stringify(problem)
  socket.end(`HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}\r\n` +
    'Content-Type: application/problem+json\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' + body)
}
