import type { OrgRegistry } from '@mutual/org'
import type { Logger } from 'pino'
import type { Identity } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import type { MutualNode } from '@mutual/node'
import type { Boards } from './boards.js'
import type { Config } from './config.js'
import type { EventHub } from './events.js'
import type { HomePaths } from './home.js'
import type { Invites } from './invites.js'
import type { DaemonMetrics } from './metrics.js'

/** What the HTTP routes use of the daemon. */
export interface DaemonContext {
  readonly version: string
  readonly identity: Identity
  readonly log: Log
  readonly node: MutualNode
  /** a running replica per board held */
  readonly boards: Boards
  /** organization state per org space, kept up to date from the log */
  readonly orgs: OrgRegistry
  readonly invites: Invites
  readonly config: Config
  readonly paths: HomePaths
  readonly events: EventHub
  readonly metrics: DaemonMetrics
  readonly logger: Logger
  readonly startedAt: number
  /** the API's base URL, once listening */
  url (): string
  /** true once node and log are started, false again when stopping */
  ready (): boolean
  /** the last dial failure per peer id or address, for `doctor` */
  readonly dialErrors: Map<string, string>
}
