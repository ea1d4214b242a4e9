import { lpStream } from '@libp2p/utils'
import type { AbortOptions, ComponentLogger, Connection, Logger, PeerId, Startable, Stream } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'
import type { Log } from '@mutual/log'
import { DEFAULT_SYNC_LIMITS, readSyncMessage, writeSyncMessage, type SyncLimits } from './messages.js'
import { SyncSession, type SyncStats } from './session.js'
import { SyncProtocolError } from '../errors.js'

export const SYNC_PROTOCOL = '/mutual/sync/1.0.0'

/** Errors that are the peer's fault: a bad message, too many invalid entries, a frame over the bound. */
const MISBEHAVING = new Set(['SyncPeerMisbehavingError', 'SyncProtocolError', 'InvalidDataLengthError', 'InvalidDataLengthLengthError'])

export interface SyncServiceInit {
  log: Log
  /** the spaces this node replicates, asked for on every session */
  interests: () => string[]
  /** whether a peer may read a space (read authorization); default: everyone */
  mayRead?: (peer: string, space: string) => boolean
  /** periodic anti-entropy with every connected peer, ms; 0 disables */
  intervalMs?: number
  /** a session that takes longer is aborted, ms */
  timeoutMs?: number
  limits?: Partial<SyncLimits>
  onSession?: (peer: string, stats: SyncStats) => void
  onMisbehaving?: (peer: string, error: Error) => void
}

export interface SyncServiceComponents {
  peerId: PeerId
  registrar: Registrar
  connectionManager: ConnectionManager
  logger: ComponentLogger
}

/** The `/mutual/sync/1.0.0` libp2p service: catch-up on connect, on a seen gap, and periodically. */
export interface SyncService extends Startable {
  /** runs a session with a connected peer now (or after the one under way) */
  syncWith (peer: PeerId, options?: AbortOptions): Promise<SyncStats>
  /** asks for a session soon, coalescing requests (a gap seen in gossip) */
  request (peer: PeerId): void
}

class DefaultSyncService implements SyncService {
  private readonly init: SyncServiceInit
  private readonly components: SyncServiceComponents
  private readonly log: Logger
  private readonly limits: SyncLimits
  private readonly running = new Map<string, Promise<SyncStats>>()
  private readonly again = new Set<string>()
  private topologyId: string | undefined
  private timer: ReturnType<typeof setInterval> | undefined
  private readonly controller = new AbortController()

  constructor (components: SyncServiceComponents, init: SyncServiceInit) {
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('mutual:sync')
    this.limits = { ...DEFAULT_SYNC_LIMITS, ...init.limits }
  }

  readonly [Symbol.toStringTag] = '@mutual/sync'

  async start (): Promise<void> {
    await this.components.registrar.handle(SYNC_PROTOCOL, (stream, connection) => {
      this.respond(stream, connection).catch((err) => { this.log.error('inbound sync failed %e', err) })
    }, { maxInboundStreams: 4, maxOutboundStreams: 4 })
    this.topologyId = await this.components.registrar.register(SYNC_PROTOCOL, {
      // Sessions are symmetric, so on connect only the side with the smaller id starts one.
      onConnect: (peer) => { if (this.components.peerId.toString() < peer.toString()) this.request(peer) }
    })
    const interval = this.init.intervalMs ?? 30_000
    if (interval > 0) {
      this.timer = setInterval(() => {
        for (const conn of this.components.connectionManager.getConnections()) this.request(conn.remotePeer)
      }, interval)
      this.timer.unref?.()
    }
  }

  async stop (): Promise<void> {
    clearInterval(this.timer)
    this.controller.abort()
    if (this.topologyId !== undefined) this.components.registrar.unregister(this.topologyId)
    await this.components.registrar.unhandle(SYNC_PROTOCOL)
    await Promise.allSettled(this.running.values())
  }

  request (peer: PeerId): void {
    if (this.controller.signal.aborted) return
    this.syncWith(peer).catch((err) => { this.log('sync with %p failed: %e', peer, err) })
  }

  async syncWith (peer: PeerId, options: AbortOptions = {}): Promise<SyncStats> {
    const key = peer.toString()
    const current = this.running.get(key)
    if (current !== undefined) {
      // One outbound session per peer; a request while one runs gets one more run after it.
      this.again.add(key)
      return await current
    }
    const run = this.initiate(peer, options).finally(() => {
      this.running.delete(key)
      if (this.again.delete(key)) this.request(peer)
    })
    this.running.set(key, run)
    return await run
  }

  private async initiate (peer: PeerId, options: AbortOptions): Promise<SyncStats> {
    const signal = this.signal(options.signal)
    const stream = await this.components.connectionManager.openStream(peer, SYNC_PROTOCOL, { signal })
    return await this.run(stream, peer.toString(), signal)
  }

  private async respond (stream: Stream, connection: Connection): Promise<void> {
    await this.run(stream, connection.remotePeer.toString(), this.signal())
  }

  /** The thin plumbing: length-prefixed DAG-CBOR messages in, session decisions out. */
  private async run (stream: Stream, peer: string, signal: AbortSignal): Promise<SyncStats> {
    const lp = lpStream(stream, { maxDataLength: this.limits.maxMessageBytes })
    const session = new SyncSession({
      log: this.init.log,
      interests: this.init.interests(),
      mayRead: (space) => this.init.mayRead?.(peer, space) ?? true,
      limits: this.limits
    })
    const read = async (): Promise<ReturnType<typeof readSyncMessage>> => readSyncMessage((await lp.read({ signal })).subarray(), this.limits)
    try {
      await lp.write(writeSyncMessage(session.hello()), { signal })
      const remote = await session.receive(await read())
      if (remote === undefined) throw new SyncProtocolError('the first message must be a hello')
      const writer = (async () => {
        for await (const message of session.outgoing(remote)) await lp.write(writeSyncMessage(message), { signal })
      })()
      const reader = (async () => {
        while (!session.done) await session.receive(await read())
      })()
      await Promise.all([writer, reader])
      await stream.close({ signal })
      this.init.onSession?.(peer, session.stats)
      if (session.stats.added > 0) this.pass(peer)
      return session.stats
    } catch (err) {
      stream.abort(err as Error)
      if (MISBEHAVING.has((err as Error).name)) {
        this.init.onMisbehaving?.(peer, err as Error)
      }
      throw err
    }
  }

  /**
   * Entries that came by sync were not gossiped here, so peers on this side of a healed partition
   * would wait for anti-entropy: pass them on by a session with every other peer now. Sessions
   * that bring nothing new pass nothing on, so this settles after one wave.
   */
  private pass (from: string): void {
    const others = new Set<string>()
    for (const conn of this.components.connectionManager.getConnections()) {
      const id = conn.remotePeer.toString()
      if (id !== from && !others.has(id)) {
        others.add(id)
        this.request(conn.remotePeer)
      }
    }
  }

  private signal (outer?: AbortSignal): AbortSignal {
    const signals = [this.controller.signal, AbortSignal.timeout(this.init.timeoutMs ?? 120_000)]
    if (outer !== undefined) signals.push(outer)
    return AbortSignal.any(signals)
  }
}

export function syncService (init: SyncServiceInit): (components: SyncServiceComponents) => SyncService {
  return (components) => new DefaultSyncService(components, init)
}
