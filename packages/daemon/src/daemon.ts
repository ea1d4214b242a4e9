import { readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { Logger } from 'pino'
import { Registry } from 'prom-client'
import { RecordRegistry, baseRecordTypes, cidString, type Identity } from '@mutual/protocol'
import { Log, levelStore } from '@mutual/log'
import { createMutualNode, type MutualNode, type MutualNodeInit } from '@mutual/node'
import { boardAuthorizer, boardRecordTypes, boardUpdateRule, boardAssignRule, type BoardEvent } from '@mutual/board'
import { OrgRegistry, administersGrantedSpace, mayGossipSpace, mayReadSpace, orgAuthorizers, orgPackageRecordTypes } from '@mutual/org'
import { ledgerAuthorizer, ledgerRecordTypes, participantsBySpace } from '@mutual/ledger'
import { type Config, type LogLevel, parseAnnounce, parseApiAddress } from './config.js'
import { EventHub } from './events.js'
import { createSpaceKeys } from './services/space-keys.js'
import { type HomePaths, initHome, removeFile, resolveHome, writeApiFile } from './home.js'
import { createApp } from './http/app.js'
import type { SecurityInit } from './http/security.js'
import { type HttpServer, listen } from './http/server.js'
import { acquireLock } from './lock.js'
import { createLogger } from './logger.js'
import { createMetrics, ensureDefaultMetrics, reasonLabel } from './metrics.js'
import { type Boards, createBoards } from './services/board-replicas.js'
import { Following } from './services/following.js'
import { marketEventOf } from './services/market-events.js'
import { handleInvites } from './services/invite-protocol.js'
import {
  BoardDocService, BoardMarkets, BoardService, BoardTransferService, Handovers, InboxService, Invites, LedgerService, MarketService, NameService, NodeService, OrgService, Sessions, SpaceService, ledgerParticipants, type Services
} from './services/index.js'

/** Options of `startDaemon`; each overrides the same field of `config.json`. */
export interface DaemonInit {
  /** data directory; default `MUTUAL_HOME`, else the platform's data directory */
  home?: string
  /** libp2p listen multiaddrs */
  listen?: string[]
  /** HTTP API `host:port` (port 0 picks a free one) */
  api?: string
  bootstrap?: string[]
  mdns?: boolean
  dht?: boolean
  nat?: boolean
  /** addresses announced besides the listen addresses, unchecked (config `announce`) */
  announce?: string[]
  syncIntervalMs?: number
  /** log level; default `MUTUAL_LOG_LEVEL`, else the config's, else `info` */
  logLevel?: LogLevel
  /** a logger to use instead of the daemon's own (stderr) */
  logger?: Logger
  /** environment to read MUTUAL_HOME and MUTUAL_LOG_LEVEL from (default `process.env`) */
  env?: NodeJS.ProcessEnv
  /** inbound connections accepted per second from one host; tests on 127.0.0.1 raise it */
  inboundConnectionThreshold?: number
  /** exempt loopback from connection limits (config `exemptLoopback`; tests with many local nodes) */
  exemptLoopback?: boolean
  /** keep-alive interval of event streams, ms (default 15,000) */
  eventKeepAliveMs?: number
  /** the web UI's static build to serve at `/` (default: the workspace's `packages/web/dist`) */
  webRoot?: string
  /** builds the node (default `createMutualNode`); tests may substitute one */
  createNode?: (init: MutualNodeInit) => MutualNode
}

/** A running daemon: its node, log and HTTP API. */
export interface Daemon {
  /** the API's base URL, e.g. `http://127.0.0.1:40123` */
  readonly url: string
  readonly token: string
  readonly home: string
  readonly paths: HomePaths
  /** the configuration in force: config.json with the init's overrides */
  readonly config: Config
  readonly identity: Identity
  readonly node: MutualNode
  readonly log: Log
  /** a running replica per board held */
  readonly boards: Boards
  readonly logger: Logger
  readonly server: Server
  /** closes the HTTP server (and open event streams), then the node, then the log; idempotent */
  stop (): Promise<void>
}

export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version

/**
 * Starts a daemon on a data directory: takes its lock (DaemonRunningError if another daemon holds
 * it), opens the log, starts the node, serves the API, and writes the `api` file once listening.
 * Signals are the caller's business (the CLI): it calls `stop()`.
 */
export async function startDaemon (init: DaemonInit = {}): Promise<Daemon> {
  const env = init.env ?? process.env
  const home = resolveHome(init.home, env)
  const opened = await initHome(home)
  const { paths, identity, token } = opened
  const config = applyOverrides(opened.config, init)
  const apiAddress = parseApiAddress(config.api, init.api !== undefined ? 'option --api' : paths.config)
  if (init.announce !== undefined) parseAnnounce(init.announce, 'option --announce')
  const logger = init.logger ?? createLogger(init.logLevel, config.logLevel, env)

  const lock = await acquireLock(paths.lock, home)
  const cleanup: Array<() => Promise<void>> = [async () => { await lock.release() }]
  const unwind = async (): Promise<void> => {
    for (const step of cleanup.reverse().splice(0)) {
      try {
        await step()
      } catch (err) {
        logger.error({ err }, 'shutdown step failed')
      }
    }
  }

  try {
    // Organization state authorizes org, federation, granted and market spaces; boards fall back
    // to their own rule (creator, listed and granted writers). The registry follows the log, so
    // the authorizers read it through a getter.
    // Made once the log exists; the authorizers reach it through this holder.
    const holder: { orgs?: OrgRegistry } = {}
    const log = new Log({
      store: levelStore({ path: paths.db }),
      registry: new RecordRegistry([...baseRecordTypes(), ...boardRecordTypes(), ...orgPackageRecordTypes(), ...ledgerRecordTypes()]),
      authorizers: [
        ...orgAuthorizers({ orgs: () => holder.orgs as OrgRegistry, fallback: boardAuthorizer() }),
        // Granted writers pass the org's rules, not the board's: every update is still checked (once).
        boardUpdateRule(),
        boardAssignRule({ administers: administersGrantedSpace }),
        ledgerAuthorizer(participantsBySpace((space) => holder.orgs === undefined ? undefined : ledgerParticipants(holder.orgs, space)))
      ]
    })
    const orgs = holder.orgs = new OrgRegistry(log, { onError: (err) => { logger.error({ err }, 'applying a revocation failed') } })
    await log.start()
    cleanup.push(async () => { await log.stop() })
    await orgs.start()
    cleanup.push(async () => { await orgs.stop() })

    const spaceKeys = createSpaceKeys({ log, identity, orgs, onError: (space, err) => { logger.error({ err, space }, 'sealing a space key failed') } })
    await spaceKeys.start()
    cleanup.push(async () => { await spaceKeys.stop() })

    const events = new EventHub({ keepAliveMs: init.eventKeepAliveMs })
    // Made after the replicas they feed; the replicas reach them through this holder.
    const later: { handovers?: Handovers, boardMarkets?: BoardMarkets, inbox?: InboxService } = {}
    const boards = createBoards({
      log,
      identity,
      granted: (space) => orgs.policy(space) !== undefined,
      codec: (space) => spaceKeys.codec(space),
      handoverRefs: async (board) => await later.handovers?.refs(board),
      onEvent: (board, event) => {
        boardEvent(board, event, events, logger)
        if (event.type !== 'error') later.boardMarkets?.changed(board)
        if (event.type === 'change' || event.type === 'rebuilt') later.inbox?.boardChanged(board)
      },
      onError: (board, err) => { logger.error({ err, board }, 'board replica failed to start') }
    })
    const registry = new Registry()
    // Gauges are read at scrape time, once the API listens: the node exists by then.
    const metrics = createMetrics({
      peers: () => node.peers().length,
      spaces: () => log.spaces().length,
      sseClients: () => events.size
    }, registry)

    const node = (init.createNode ?? createMutualNode)({
      identity,
      log,
      listen: config.listen,
      bootstrap: config.bootstrap,
      mdns: config.mdns,
      dht: config.dht,
      nat: config.nat,
      announce: config.announce,
      syncIntervalMs: config.syncIntervalMs,
      inboundConnectionThreshold: init.inboundConnectionThreshold,
      exemptLoopback: config.exemptLoopback,
      mayRead: (peer, space) => mayReadSpace(orgs, (s) => log.genesis(s)?.entry.author, peer, space),
      gossipable: (space) => mayGossipSpace(orgs, (s) => log.genesis(s)?.entry.body.encrypted === true, space),
      metricsRegistry: registry
    })
    cleanup.push(async () => { await node.stop() })
    cleanup.push(wire(node, log, identity, events, metrics, logger))
    // Replicas stop before the node and the log: their last edits go out and their snapshots are written.
    cleanup.push(async () => { await boards.stop() })
    await boards.start()
    await node.start()
    ensureDefaultMetrics(registry)
    const names = new NameService({ log, identity, orgs, replicas: boards, onError: (space, err) => { logger.warn({ err, space }, 'publishing the profile failed') } })
    await names.start()
    // Stops before the replicas and the log it writes to.
    cleanup.push(async () => { await names.stop() })
    const invites = new Invites({ log, identity, boards, addresses: () => node.addresses() })
    await handleInvites(node, invites, (err) => { logger.debug({ err }, 'invite stream failed') })
    const following = new Following({ log, node, identity, orgs, onError: (space, err) => { logger.warn({ err, space }, 'could not follow a space of an org') } })
    await following.start()
    cleanup.push(async () => { following.stop() })
    const handovers = later.handovers = new Handovers({ log, node, identity, boards, onError: (space, err) => { logger.warn({ err, space }, 'taking in a hand-over failed') } })
    await handovers.start()
    cleanup.push(async () => { handovers.stop() })
    const market = new MarketService({ log, node, identity, orgs, boards })
    const boardMarkets = later.boardMarkets = new BoardMarkets({ log, identity, boards, market, onError: (board, err) => { logger.warn({ err, board }, 'announcing ready tasks failed') } })
    await boardMarkets.start()
    cleanup.push(async () => { boardMarkets.stop() })

    const inbox = later.inbox = new InboxService({
      log,
      identity,
      replicas: boards,
      names,
      codec: (space) => spaceKeys.codec(space),
      onItem: (item, unread) => { events.publish('inbox.item', { item, unread }) },
      onError: (err) => { logger.warn({ err }, 'an inbox item could not be published') }
    })
    await inbox.start()
    cleanup.push(async () => { inbox.stop() })

    let ready = false
    let url = ''
    const security: SecurityInit = {
      token,
      port: () => http.address.port,
      bindHost: apiAddress.host,
      allowedHosts: config.allowedHosts,
      allowedOrigins: config.allowedOrigins
    }
    // Sessions survive a restart (the file), so an open page carries on once the daemon is back.
    const sessions = new Sessions({ file: paths.sessions, url: () => url })
    await sessions.start()
    cleanup.push(async () => { await sessions.stop() })
    const services: Services = {
      node: new NodeService({ version: VERSION, node, log, config, home: paths.home, url: () => url }),
      spaces: new SpaceService({ log, node, identity }),
      boards: new BoardService({ log, node, identity, replicas: boards, orgs, spaceKeys }),
      replicas: boards,
      orgs: new OrgService({ log, node, identity, orgs, spaceKeys, replicas: boards }),
      market,
      boardMarkets,
      ledger: new LedgerService({ log, node, identity, orgs, replicas: boards }),
      invites,
      names,
      joining: { identity, node, boards, log },
      boardDoc: new BoardDocService({ replicas: boards }),
      boardTransfer: new BoardTransferService({ log, replicas: boards }),
      sessions,
      inbox
    }
    const app = createApp({ version: VERSION, services, events, metrics, logger, security, ready: () => ready, webRoot: init.webRoot })
    const http: HttpServer = await listen(app.fetch, apiAddress.host, apiAddress.port)
    cleanup.push(async () => {
      ready = false
      events.close()
      await http.close()
    })
    url = apiUrl(http.address.address, http.address.port)
    await lock.update(url)
    await writeApiFile(paths.api, { url, token, pid: process.pid })
    // Removed before the lock (cleanup runs in reverse): the api file never outlives the lock.
    cleanup.splice(1, 0, async () => { await removeFile(paths.api) })
    ready = true
    logger.info({ id: identity.id, url, addresses: node.addresses(), home }, 'daemon ready')

    let stopping: Promise<void> | undefined
    return {
      url,
      token,
      home,
      paths,
      config,
      identity,
      node,
      log,
      boards,
      logger,
      server: http.server,
      stop: async () => {
        stopping ??= (async () => {
          logger.info('daemon stopping')
          await unwind()
          logger.info('daemon stopped')
        })()
        await stopping
      }
    }
  } catch (err) {
    await unwind()
    throw err
  }
}

function applyOverrides (config: Config, init: DaemonInit): Config {
  return {
    ...config,
    listen: init.listen ?? config.listen,
    api: init.api ?? config.api,
    bootstrap: init.bootstrap ?? config.bootstrap,
    mdns: init.mdns ?? config.mdns,
    dht: init.dht ?? config.dht,
    nat: init.nat ?? config.nat,
    announce: init.announce ?? config.announce,
    syncIntervalMs: init.syncIntervalMs ?? config.syncIntervalMs,
    exemptLoopback: init.exemptLoopback ?? config.exemptLoopback
  }
}

/** The URL a local client uses: a wildcard bind is reached on loopback. */
function apiUrl (address: string, port: number): string {
  if (address === '0.0.0.0') return `http://127.0.0.1:${port}`
  if (address === '::') return `http://[::1]:${port}`
  return address.includes(':') ? `http://[${address}]:${port}` : `http://${address}:${port}`
}

/** A board's changes and claims, for the event streams; a replica's background failures, for the log. */
function boardEvent (board: string, event: BoardEvent, events: EventHub, logger: Logger): void {
  switch (event.type) {
    case 'change':
      events.publish('board', { board, origin: event.origin })
      break
    case 'rebuilt':
      events.publish('board', { board, origin: 'remote' })
      break
    case 'claims':
      events.publish('claims', { board })
      break
    case 'assignment':
      events.publish('assignment', { board, task: event.task, assignee: event.assignee, by: event.by, entry: event.entry, origin: event.origin })
      break
    case 'error':
      logger.warn({ err: event.error, board }, 'board replica error')
      break
  }
}

/** Feeds log and node events to the event streams and the metrics; returns the unsubscribe step. */
function wire (node: MutualNode, log: Log, identity: Identity, events: EventHub, metrics: ReturnType<typeof createMetrics>, logger: Logger): () => Promise<void> {
  const offLog = log.subscribe((event) => {
    if (event.type === 'entry') {
      const { entry, space, id } = event.entry
      metrics.entriesIngested.inc({ origin: entry.author === identity.id ? 'local' : 'remote' })
      // cidString: multiformats' toString files every CID in a WeakMap, a cost per synced entry.
      events.publish('entry', { space, id: cidString(id), author: entry.author, seq: entry.seq, type: entry.type })
      marketEventOf(log, event.entry)
        .then((e) => { if (e !== undefined) events.publish(e.type, e.data) })
        .catch((err: Error) => { logger.warn({ err, space }, 'a market event failed') })
    } else if (event.type === 'fork') {
      const { space, author, seq } = event.fork
      metrics.forks.inc()
      logger.warn({ space, author, seq }, 'fork detected: the author equivocated; their log is frozen')
      events.publish('fork', { space, author, seq })
    } else {
      const { space, author, atSeq, reason } = event
      logger.warn({ space, author, atSeq, reason }, 'a log was frozen')
      events.publish('frozen', { space, author, atSeq, reason })
    }
  })
  const offNode = node.subscribe((event) => {
    switch (event.type) {
      case 'peer:connect':
      case 'peer:disconnect':
        events.publish(event.type, { peer: event.peer })
        break
      case 'sync': {
        const { sent, received, added } = event.stats
        metrics.syncSessions.inc()
        metrics.syncEntries.inc({ direction: 'sent' }, sent)
        metrics.syncEntries.inc({ direction: 'received' }, received)
        events.publish('sync', { peer: event.peer, sent, received, added })
        break
      }
      case 'gossip:rejected':
        metrics.entriesRejected.inc({ reason: reasonLabel(event.error) })
        logger.debug({ peer: event.peer, error: event.error }, 'gossip entry rejected')
        events.publish('gossip.rejected', { peer: event.peer, error: event.error.slice(0, 512) })
        break
      case 'peer:graylisted':
        metrics.peersGraylisted.inc()
        logger.warn({ peer: event.peer, score: event.score, backoffMs: event.backoffMs }, 'peer graylisted: disconnected and refused for the back-off')
        events.publish('peer.graylisted', { peer: event.peer, score: event.score, backoffMs: event.backoffMs })
        break
    }
  })
  return async () => {
    offLog()
    offNode()
  }
}
