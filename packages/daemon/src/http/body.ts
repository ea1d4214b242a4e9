import type { IncomingMessage } from 'node:http'
import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { PayloadTooLargeError } from '../errors.js'

const JSON_TYPE = /^application\/([\w.-]+\+)?json\b/i

/**
 * Reads a request's body once, straight from node's IncomingMessage, and refuses it past
 * `maxBytes` (the declared Content-Length first, then the bytes as they come). The body lands
 * in Hono's body cache, where `c.req.json()` (and so every route's contract validation),
 * `c.req.text()` and `c.req.arrayBuffer()` read it: no WHATWG Request and body stream are
 * built around it per request. Outside node:http (no `incoming` binding) Hono's own
 * `bodyLimit` does the same job.
 */
export function readBody (maxBytes: number): MiddlewareHandler {
  const tooLarge = (): never => { throw new PayloadTooLargeError(`request body over ${maxBytes} bytes`) }
  const fallback = bodyLimit({ maxSize: maxBytes, onError: tooLarge })
  return async (c, next) => {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
    if (incoming === undefined) return await fallback(c, next)
    const method = c.req.method
    const headers = incoming.headers
    if (method === 'GET' || method === 'HEAD' || (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined)) return await next()
    if (headers['transfer-encoding'] === undefined && Number(headers['content-length']) > maxBytes) return tooLarge()
    const body = await collect(incoming, maxBytes)
    if (body === undefined) return tooLarge()
    // Hono keeps promises in its body cache (its type says values)
    const cache = c.req.bodyCache as unknown as Record<string, Promise<unknown>>
    if (JSON_TYPE.test(headers['content-type'] ?? '')) cache.text = Promise.resolve(body.toString('utf8'))
    else cache.arrayBuffer = Promise.resolve(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength))
    await next()
  }
}

/** The body's bytes, or undefined once they pass `maxBytes` (the rest is read and dropped). */
async function collect (incoming: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return await new Promise<Buffer | undefined>((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size <= maxBytes) {
        chunks.push(chunk)
        return
      }
      done()
      incoming.resume()
      resolve(undefined)
    }
    const onEnd = (): void => {
      done()
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size))
    }
    const onError = (err: Error): void => {
      done()
      reject(err)
    }
    const done = (): void => {
      incoming.off('data', onData)
      incoming.off('end', onEnd)
      incoming.off('error', onError)
    }
    incoming.on('data', onData)
    incoming.on('end', onEnd)
    incoming.on('error', onError)
  })
}
