import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { OpenAPIHono } from '@hono/zod-openapi'
import { isCode } from '../files.js'

/** Where the web UI's build lands in this workspace: `packages/web/dist`, beside the daemon's package. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../web/dist/', import.meta.url))

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json'
}

/**
 * The page's own policy: scripts, styles and connections to this origin only, no framing (so no
 * click-jacking of board moves), no referrer (a login URL's fragment never leaves anyway).
 */
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache'
}

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Mutual</title>
<body style="font:16px system-ui;margin:3rem;max-width:40rem"><h1>The web UI is not built</h1>
<p>Run <code>npx --yes pnpm@10 build</code>, then reload this page. The API under <code>/api/v1</code> works without it.</p></body></html>`

/**
 * Serves the web UI's static build at `/`: files as they are (hashed assets cached for good),
 * and `index.html` for every other path, so each page of the single-page app has its own URL.
 * Registered after the API: `/api/*`, probes and metrics never fall through to here.
 */
export function staticRoutes (app: OpenAPIHono, root: string = DEFAULT_WEB_ROOT): void {
  const base = normalize(root.endsWith(sep) ? root : root + sep)

  app.get('*', async (c, next) => {
    const path = c.req.path
    if (path.startsWith('/api/') || (c.req.method !== 'GET' && c.req.method !== 'HEAD')) {
      await next()
      return
    }
    let relative: string
    try {
      relative = decodeURIComponent(path).replace(/^\/+/, '')
    } catch {
      // A malformed escape is no file of ours; the app's shell answers it like any unknown page.
      relative = ''
    }
    const file = normalize(join(base, relative))
    if (relative !== '' && file.startsWith(base) && !relative.split('/').some((part) => part.startsWith('.'))) {
      const body = await readIfFile(file)
      if (body !== undefined) {
        const immutable = relative.startsWith('assets/')
        return c.body(body, 200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'x-content-type-options': 'nosniff',
          'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache'
        })
      }
      // A missing asset is a 404, not the app's shell: a stale page must not run HTML as script.
      if (extname(relative) !== '') {
        await next()
        return
      }
    }
    const index = await readIfFile(join(base, 'index.html'))
    return c.body(index ?? NOT_BUILT, index === undefined ? 503 : 200, { ...PAGE_HEADERS, 'content-type': TYPES['.html'] })
  })
}

async function readIfFile (file: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  try {
    if (!(await stat(file)).isFile()) return undefined
    const bytes = await readFile(file)
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) as Uint8Array<ArrayBuffer>
  } catch (err) {
    if (isCode(err, 'ENOENT') || isCode(err, 'ENOTDIR')) return undefined
    throw err
  }
}
