import { randomBytes } from 'node:crypto'
import { parseCid, type CID, type Identity, type SignedEntry } from '@mutual/protocol'
import { UnknownSpaceError, type Log } from '@mutual/log'
import type { MutualNode } from '@mutual/node'
import { UnknownTaskError } from '@mutual/board'
import {
  SPACE_POLICY, TASK_ACCEPT, announceSpace, TASK_ANNOUNCE, TASK_APPLY, TASK_DECLINE, announceSchema, boardAdminRefs, grantRefs, marketView, spaceEntriesOf, spacePolicySchema,
  type AnnounceBody, type ApplyBody, type MarketAcceptBody, type OrgRegistry
} from '@mutual/org'
import type { Announcement, Entry, Market, MarketSummary } from '../contract/index.js'
import { NotFoundError } from '../errors.js'
import type { Boards } from './board-replicas.js'
import { entryToJson, toJson } from './json.js'
import { parse } from './parse.js'

export interface MarketServiceInit {
  log: Log
  node: MutualNode
  identity: Identity
  /** where markets are announced (org spaces) and whom they grant */
  orgs: OrgRegistry
  /** the boards whose tasks an acceptance may hand over */
  boards: Boards
}

export interface AnnounceRequest {
  board?: string
  task?: string
  title: string
  summary?: string
  skills?: string[]
  estimate?: number
  valueWeight?: number
  deadline?: number
}

/** Open task markets: announcements, applications, and signed decisions on them. */
export class MarketService {
  private readonly init: MarketServiceInit

  constructor (init: MarketServiceInit) {
    this.init = init
  }

  async create (name: string, grants?: unknown[]): Promise<{ market: string, genesis: Entry }> {
    const { log, identity, node } = this.init
    const genesis = await log.createSpace(identity, { kind: 'market', name, policy: { write: 'anyone', writers: [] }, encrypted: false, nonce: randomBytes(16) })
    if (grants !== undefined && grants.length > 0) {
      const policy = parse(spacePolicySchema, { grants, read: 'public' }, 'policy')
      await log.append(identity, genesis.space, SPACE_POLICY, policy)
      // Announced in each granted org this node may announce in, so its members find the market.
      for (const grant of policy.grants) {
        if (!('org' in grant) || log.genesis(grant.org) === undefined) continue
        await announceSpace(log, identity, grant.org, genesis.space).catch((err: Error) => {
          if (err.name !== 'NoCredentialError') throw err
        })
      }
    }
    await node.join(genesis.space)
    return { market: genesis.space, genesis: entryToJson(genesis) }
  }

  /**
   * The markets this node knows: those it holds, and those announced (`org/space`) in the org
   * spaces it holds, each with the orgs and federations it belongs to (its policy's grants and
   * the orgs that announced it) and whether this node follows it.
   */
  list (): MarketSummary[] {
    const { log, orgs, node } = this.init
    const known = new Map<string, { name: string, owner: string | null, belongs: Set<string> }>()
    for (const space of log.spaces()) {
      const g = log.genesis(space)
      if (g?.entry.body.kind === 'market') known.set(space, { name: g.entry.body.name, owner: g.entry.author, belongs: new Set() })
    }
    for (const org of log.spaces()) {
      if (log.genesis(org)?.entry.body.kind !== 'org') continue
      for (const a of orgs.announced(org)) {
        if (a.kind !== 'market') continue
        const m = known.get(a.space) ?? { name: a.name, owner: null, belongs: new Set<string>() }
        m.belongs.add(org)
        known.set(a.space, m)
      }
    }
    const joined = new Set(node.joined())
    return [...known].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([market, m]) => {
      for (const g of orgs.policy(market)?.grants ?? []) m.belongs.add('org' in g ? g.org : g.federation)
      return {
        market,
        name: m.name,
        owner: m.owner,
        belongsTo: [...m.belongs].sort().map((id) => ({ id, kind: log.genesis(id)?.entry.body.kind === 'federation' ? 'federation' as const : 'org' as const, name: log.genesis(id)?.entry.body.name ?? '' })),
        held: log.genesis(market) !== undefined,
        following: joined.has(market)
      }
    })
  }

  /** Follows a market this node knows (`list`): joins its space, so its entries arrive. */
  async join (market: string): Promise<MarketSummary> {
    const known = this.list().find((m) => m.market === market)
    if (known === undefined) throw new UnknownSpaceError(`no market ${market.slice(0, 128)} is known here: \`mutual market list\` shows the markets of the orgs this node holds (follow an org with \`mutual space join <org>\`)`)
    await this.init.node.join(market)
    return { ...known, following: true }
  }

  async show (market: string): Promise<Market> {
    this.held(market)
    const announcements = toJson(marketView(await spaceEntriesOf(this.init.log, market))) as Announcement[]
    return { market, name: this.init.log.genesis(market)?.entry.body.name ?? '', announcements }
  }

  async announce (market: string, r: AnnounceRequest): Promise<Entry> {
    this.held(market)
    const body = parse<AnnounceBody>(announceSchema, {
      ...(r.board !== undefined ? { board: r.board } : {}),
      ...(r.task !== undefined ? { task: r.task } : {}),
      title: r.title,
      summary: r.summary ?? '',
      skills: r.skills ?? [],
      estimate: r.estimate ?? 0,
      valueWeight: r.valueWeight ?? 1,
      ...(r.deadline !== undefined ? { deadline: r.deadline } : {})
    }, 'announcement')
    return entryToJson(await this.init.log.append(this.init.identity, market, TASK_ANNOUNCE, body))
  }

  /** Applies for an announcement, named by its id or by the board task it announces (the earliest such). */
  async apply (market: string, announcement: string, note?: string): Promise<Entry> {
    this.held(market)
    const ann = parseCid(announcement) !== undefined ? await this.byId(market, announcement, TASK_ANNOUNCE) : await this.announcementOf(market, announcement)
    return entryToJson(await this.init.log.append<ApplyBody>(this.init.identity, market, TASK_APPLY, { announcement: ann.id, note: note ?? '' }, [ann.id]))
  }

  /** Accepts or declines an application with a signed reason (the announcer, or a reviewer or admin the market grants). */
  async decide (market: string, id: string, decision: 'accept' | 'decline', reason: string): Promise<Entry> {
    const { log, identity } = this.init
    this.held(market)
    const application = await this.byId(market, id, TASK_APPLY) as SignedEntry<ApplyBody>
    const announcement = await this.byId(market, application.entry.body.announcement.toString(), TASK_ANNOUNCE)
    const refs: CID[] = [application.id, announcement.id]
    if (announcement.entry.author !== identity.id) {
      try {
        refs.push(...await grantRefs(log, market, identity.id))
      } catch (err) {
        // No grant: the market's rules refuse the decision, with their own named error.
        if ((err as Error).name !== 'OrgError') throw err
      }
    }
    if (decision === 'decline') return entryToJson(await log.append(identity, market, TASK_DECLINE, { application: application.id, reason }, refs))
    const body: MarketAcceptBody = { application: application.id, reason }
    const { board, task } = (announcement as SignedEntry<AnnounceBody>).entry.body
    if (board !== undefined && task !== undefined) {
      // A board task is handed over: only someone who may administer the board accepts, naming
      // their proof (the board's policy is in the board, which the applicant may not hold yet).
      const { proof } = await boardAdminRefs(log, board, identity.id)
      const replica = await this.init.boards.open(board)
      if (replica.board.task(task) === undefined) throw new UnknownTaskError(`no task ${task.slice(0, 64)} on board ${board}`)
      body.handover = { board, task, applicant: application.entry.author }
      refs.push(...proof)
    }
    return entryToJson(await log.append(identity, market, TASK_ACCEPT, body, [...new Map(refs.map((r) => [r.toString(), r])).values()]))
  }

  private async announcementOf (market: string, task: string): Promise<SignedEntry> {
    const found = marketView(await spaceEntriesOf(this.init.log, market)).find((a) => a.body.task === task)
    if (found === undefined) throw new NotFoundError(`no announcement of a task ${task.slice(0, 64)} in ${market}`)
    return await this.byId(market, found.id, TASK_ANNOUNCE)
  }

  private held (market: string): void {
    if (this.init.log.genesis(market)?.entry.body.kind !== 'market') throw new UnknownSpaceError(`no market ${market.slice(0, 128)} here (follow it with \`mutual space join <id>\`, or redeem an invite with \`mutual join <ticket>\`)`)
  }

  private async byId (market: string, id: string, type: string): Promise<SignedEntry> {
    const entry = await this.init.log.getById(id).catch(() => undefined)
    if (entry === undefined || entry.space !== market || entry.entry.type !== type) throw new NotFoundError(`no ${type} ${id.slice(0, 128)} in ${market}`)
    return entry
  }
}
