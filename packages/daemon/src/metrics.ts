import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** Mutual's own metrics, in the registry the node's libp2p metrics share. */
export interface DaemonMetrics {
  readonly registry: Registry
  readonly entriesIngested: Counter<'origin'>
  readonly entriesRejected: Counter<'reason'>
  readonly forks: Counter
  readonly peersGraylisted: Counter
  readonly syncSessions: Counter
  readonly syncEntries: Counter<'direction'>
  readonly httpRequests: Counter<'method' | 'route' | 'status'>
  readonly httpDuration: Histogram<'method' | 'route'>
}

export interface MetricsSources {
  peers: () => number
  spaces: () => number
  sseClients: () => number
}

export function createMetrics (sources: MetricsSources, registry = new Registry()): DaemonMetrics {
  const registers = [registry]
  // Gauges read their value at scrape time, so nothing has to keep them up to date.
  new Gauge({ name: 'mutual_peers', help: 'Connected peers', registers, collect () { this.set(sources.peers()) } })
  new Gauge({ name: 'mutual_spaces', help: 'Spaces held in the log', registers, collect () { this.set(sources.spaces()) } })
  new Gauge({ name: 'mutual_sse_clients', help: 'Open event streams', registers, collect () { this.set(sources.sseClients()) } })
  return {
    registry,
    entriesIngested: new Counter({
      name: 'mutual_entries_ingested_total',
      help: 'Entries added to the log, by origin (local: signed by this node)',
      labelNames: ['origin'],
      registers
    }),
    entriesRejected: new Counter({
      name: 'mutual_entries_rejected_total',
      help: 'Gossip entries from peers rejected as invalid (each also a gossip.rejected event), by error name',
      labelNames: ['reason'],
      registers
    }),
    forks: new Counter({ name: 'mutual_forks_total', help: 'Equivocations detected', registers }),
    peersGraylisted: new Counter({ name: 'mutual_peers_graylisted_total', help: 'Peers disconnected and refused for a back-off after their gossip score fell below the graylist threshold', registers }),
    syncSessions: new Counter({ name: 'mutual_sync_sessions_total', help: 'Sync sessions completed', registers }),
    syncEntries: new Counter({
      name: 'mutual_sync_entries_total',
      help: 'Entries exchanged by sync sessions',
      labelNames: ['direction'],
      registers
    }),
    httpRequests: new Counter({
      name: 'mutual_http_requests_total',
      help: 'HTTP API requests',
      labelNames: ['method', 'route', 'status'],
      registers
    }),
    httpDuration: new Histogram({
      name: 'mutual_http_request_duration_seconds',
      help: 'HTTP API request duration (event streams excluded)',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers
    })
  }
}

/** An error name as a metric label: bounded, so a peer cannot grow the label set with free text. */
export function reasonLabel (error: string): string {
  const match = /^[A-Za-z][A-Za-z0-9]{0,63}/.exec(error)
  return match?.[0] ?? 'other'
}

/**
 * Process metrics (CPU, memory, event loop), unless libp2p's Prometheus metrics already added
 * them to the shared registry: registering them twice throws.
 */
export function ensureDefaultMetrics (registry: Registry): void {
  if (registry.getSingleMetric('process_cpu_user_seconds_total') === undefined) collectDefaultMetrics({ register: registry })
}
