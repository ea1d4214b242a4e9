import type { Logger } from 'pino'
import type { EventHub } from '../events.js'
import type { DaemonMetrics } from '../metrics.js'
import type { Services } from '../services/index.js'
import type { SecurityInit } from './security.js'

/** What the HTTP layer uses of the daemon: its services, the event stream, metrics and readiness. */
export interface HttpContext {
  readonly version: string
  readonly services: Services
  readonly events: EventHub
  readonly metrics: DaemonMetrics
  readonly logger: Logger
  readonly security: SecurityInit
  /** true once node and log are started, false again when stopping */
  ready (): boolean
  /** the web UI's static build (default: the workspace's `packages/web/dist`) */
  readonly webRoot?: string
}
