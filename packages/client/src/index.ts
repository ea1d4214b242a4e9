/**
 * @packageDocumentation
 * The typed client of the Mutual daemon's HTTP API, for the CLI, the web UI and scripts. Its
 * types come from the daemon's API contract (request and response schemas), imported as types
 * only, so nothing of the daemon is loaded and no wire shape is declared twice.
 *
 * ```ts
 * const client = createClient({ url, token })
 * const task = await client.call('addTask', { params: { board }, body: { title: 'Write the report' } })
 * for await (const event of events(client, { signal })) console.log(event.type, event.data)
 * ```
 */
export { createClient, routePath, type Client, type ClientInit, type CallOptions } from './client.js'
export { events, type StreamEvent, type EventStreamOptions } from './events.js'
export { ROUTES } from './routes.js'
export type { Input, Output, Params, Query, Body } from './types.js'
export * from './errors.js'
export type * from '@mutual/daemon/contract'
