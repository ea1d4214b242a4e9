/**
 * @packageDocumentation
 * The long-running Mutual process: the data directory (config, identity key, API token, lock),
 * the node and its log, a replica of every board held, and the HTTP API on 127.0.0.1 (bearer
 * token, Host and Origin checks, problem+json errors, an OpenAPI document, Server-Sent Events,
 * health probes and Prometheus metrics). Board invites are `mutual1:` tickets redeemed at the
 * inviter over `/mutual/invite/1.0.0`.
 *
 * ```ts
 * const daemon = await startDaemon({ home: '/tmp/mutual-a' })
 * console.log(daemon.url, daemon.node.id)
 * await daemon.stop()
 * ```
 */
export { startDaemon, type Daemon, type DaemonInit, VERSION } from './daemon.js'
export { type Config, type LogLevel, type ApiAddress, configSchema, defaultConfig, loadConfig, parseConfig, parseApiAddress } from './config.js'
export {
  type HomePaths, type OpenedHome, type ApiFile, resolveHome, homePaths, initHome, readIdentity, readApiFile
} from './home.js'
export { type LockInfo, readLock } from './lock.js'
export { type Problem, ERROR_STATUS, PROBLEM_TYPE_BASE, problemOf, statusOf } from './http/problem.js'
export { type EntryJson, entryToJson, toJson } from './services/json.js'
export { type DaemonEvent, formatEvent } from './events.js'
export { type Boards, type BoardsInit, createBoards } from './services/board-replicas.js'
export { type Ticket, TICKET_PREFIX, encodeTicket, decodeTicket } from './services/ticket.js'
export { INVITE_PROTOCOL } from './services/invite-protocol.js'
export { inviteKey } from './services/invites.js'
export type { Services } from './services/index.js'
export * from './errors.js'
