import type { SignedEntry } from '@mutual/protocol'
import type { Log, LogEvent } from '@mutual/log'
import { canonical, headIn, idOf, isEntry } from './entries.js'
import { cutoffFor, orgState, type Cutoff, type OrgState } from './org-state.js'
import { ORG_APPROVE, ORG_REVOKE, type ApproveBody } from './org-records.js'
import { federationState, type FederationState } from './federation.js'
import { FEDERATION_CHARTER, type CharterBody } from './federation-records.js'
import { ORG_SPACE, SPACE_POLICY, type OrgSpaceBody, type SpacePolicyBody } from './grant-records.js'
import { DEFAULT_RATE_LIMITS } from './market/authorizer.js'
import type { OrgSource } from './source.js'

export interface OrgRegistryInit {
  /** how long each author's market entries are kept for rate limits (the market's window; one hour by default) */
  windowMs?: number
  /** told of a freeze that failed (other than because the log closed); `settled()` rethrows it too */
  onError?: (err: Error) => void
}

interface OrgSpace {
  entries: Map<string, SignedEntry>
  state?: OrgState
  cutoffs: Map<string, Cutoff[]>
}

interface WindowEntry { seq: number, type: string, wall: number }

/**
 * The node's view of organizations, kept current from the log's events: each org space's state,
 * each federation's, each space's grant policy, and each author's recent market entries. The
 * authorizers ask it what refs cannot show (revocations, rate counts).
 *
 * When a revocation or an admin removal comes into force it freezes the target's log
 * (`Log.freeze`) in every space the organization governs that this log holds: the org space,
 * spaces whose policy grants the org (directly or through a federation listing it) and those
 * federations' spaces. In a space the cutoff names, at the seq it names; in one it does not name
 * but where the target wrote, at 0: nothing of theirs there counts (their authority there came
 * from the org; a space's creator and its genesis's listed writers are left alone, and a genesis
 * is never unwound). So entries accepted before the revocation arrived stop counting, as they
 * would never have been accepted after it, and every node ends with the same logs.
 *
 * Start it after `log.start()` and before entries arrive; it loads what the log holds.
 */
export class OrgRegistry implements OrgSource {
  private readonly orgs = new Map<string, OrgSpace>()
  private readonly federations = new Map<string, Map<string, SignedEntry>>()
  private readonly policies = new Map<string, SpacePolicyBody>()
  private readonly windows = new Map<string, WindowEntry[]>()
  private readonly pending = new Set<Promise<unknown>>()
  private readonly failures: Error[] = []
  private readonly windowMs: number
  private unsubscribe: (() => void) | undefined
  private loading = false

  constructor (private readonly log: Log, private readonly init: OrgRegistryInit = {}) {
    this.windowMs = init.windowMs ?? DEFAULT_RATE_LIMITS.windowMs
  }

  async start (): Promise<void> {
    if (this.unsubscribe !== undefined) return
    this.unsubscribe = this.log.subscribe((event) => { this.onEvent(event) })
    this.loading = true
    try {
      for (const space of this.log.spaces()) {
        const genesis = this.log.genesis(space)
        if (genesis === undefined) continue
        const kind = genesis.entry.body.kind
        if (kind === 'org' || kind === 'federation' || kind === 'market') {
          for await (const e of this.log.spaceEntries(space)) this.onEntry(e)
        } else {
          const policy = await this.log.get(space, genesis.entry.author, 2)
          if (policy !== undefined) this.onEntry(policy)
        }
      }
    } finally {
      this.loading = false
    }
    for (const org of this.orgs.keys()) this.refresh(org)
  }

  async stop (): Promise<void> {
    this.unsubscribe?.()
    this.unsubscribe = undefined
    await this.settled().catch(() => {})
  }

  /** Resolves once every freeze this registry started is done; rejects with the first that failed. */
  async settled (): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending])
    const failure = this.failures.shift()
    if (failure !== undefined) throw failure
  }

  /** The state of an org space this log holds. */
  state (org: string): OrgState | undefined {
    const space = this.orgs.get(org)
    if (space === undefined) return undefined
    space.state ??= orgState(space.entries.values())
    return space.state
  }

  federation (federation: string): FederationState | undefined {
    const entries = this.federations.get(federation)
    return entries === undefined ? undefined : federationState(entries.values())
  }

  /**
   * The spaces announced in an org space (`org/space`), oldest first: what its members' nodes
   * follow. Each once, the first announcement counting.
   */
  announced (org: string): Array<OrgSpaceBody & { by: string }> {
    const entries = this.orgs.get(org)?.entries
    if (entries === undefined) return []
    const out = new Map<string, OrgSpaceBody & { by: string }>()
    for (const e of canonical(entries.values())) {
      if (isEntry<OrgSpaceBody>(e, ORG_SPACE) && !out.has(e.entry.body.space)) out.set(e.entry.body.space, { ...e.entry.body, by: e.entry.author })
    }
    return [...out.values()]
  }

  /** The grant policy of a space, if it has one. */
  policy (space: string): SpacePolicyBody | undefined {
    return this.policies.get(space)
  }

  cutoff (org: string, author: string, space: string): number | undefined {
    const cutoffs = this.orgs.get(org)?.cutoffs
    return cutoffs === undefined ? undefined : cutoffFor({ cutoffs }, author, space)
  }

  recent (space: string, author: string, type: string, sinceMs: number): number {
    let n = 0
    for (const w of this.windows.get(`${space}\n${author}`) ?? []) if (w.type === type && w.wall > sinceMs) n++
    return n
  }

  // --- events -----------------------------------------------------------------------------

  private onEvent (event: LogEvent): void {
    if (event.type === 'entry') this.onEntry(event.entry)
    else if (event.type === 'frozen') this.onRewind(event.space, event.author, event.atSeq)
    else this.onRewind(event.fork.space, event.fork.author, event.fork.seq - 1)
  }

  private onEntry (e: SignedEntry): void {
    const genesis = this.log.genesis(e.space)
    if (genesis === undefined) return
    const kind = genesis.entry.body.kind
    const id = idOf(e)
    if (kind === 'org') {
      let space = this.orgs.get(e.space)
      if (space === undefined) this.orgs.set(e.space, space = { entries: new Map(), cutoffs: new Map() })
      if (space.entries.has(id)) return
      space.entries.set(id, e)
      space.state = undefined
      const cuts = e.entry.type === ORG_REVOKE || (isEntry<ApproveBody>(e, ORG_APPROVE) && e.entry.body.enacts)
      if (cuts && !this.loading) this.refresh(e.space)
    } else if (kind === 'federation') {
      let entries = this.federations.get(e.space)
      if (entries === undefined) this.federations.set(e.space, entries = new Map())
      if (entries.has(id)) return
      entries.set(id, e)
      if (isEntry<CharterBody>(e, FEDERATION_CHARTER) && !this.loading) for (const org of e.entry.body.orgs) this.applyCutoffs(org)
    }
    if (kind === 'market') this.track(e)
    if (kind !== 'org' && kind !== 'federation' && isEntry<SpacePolicyBody>(e, SPACE_POLICY) &&
        e.entry.author === genesis.entry.author && e.entry.seq === 2 && !this.policies.has(e.space)) {
      this.policies.set(e.space, e.entry.body)
      if (!this.loading) for (const org of this.orgs.keys()) this.applyCutoffs(org, e.space)
    }
  }

  /** An author's log went back to `atSeq` (a freeze or a fork): what was past it no longer counts. */
  private onRewind (space: string, author: string, atSeq: number): void {
    const org = this.orgs.get(space)
    const entries = org?.entries ?? this.federations.get(space)
    if (entries !== undefined) {
      for (const [id, e] of entries) if (e.entry.author === author && e.entry.seq > atSeq) entries.delete(id)
      if (org !== undefined) {
        org.state = undefined
        this.refresh(space)
      }
    }
    const key = `${space}\n${author}`
    const window = this.windows.get(key)
    if (window !== undefined) this.windows.set(key, window.filter((w) => w.seq <= atSeq))
  }

  private track (e: SignedEntry): void {
    const key = `${e.space}\n${e.entry.author}`
    const window = this.windows.get(key) ?? []
    if (window.some((w) => w.seq === e.entry.seq)) return
    const wall = e.entry.ts[0]
    // An author's stamps only grow along their chain, so older entries never count again.
    const kept = window.filter((w) => w.wall > wall - this.windowMs)
    kept.push({ seq: e.entry.seq, type: e.entry.type, wall })
    this.windows.set(key, kept)
  }

  // --- cutoffs and freezes ----------------------------------------------------------------

  private refresh (org: string): void {
    const space = this.orgs.get(org)
    if (space === undefined) return
    const state = this.state(org)
    if (state === undefined) return
    space.cutoffs = state.cutoffs
    this.applyCutoffs(org)
  }

  /** The spaces whose writers `org` vouches for, as this log knows them: the org, its federations, the spaces granted to it. */
  governs (org: string): string[] {
    const spaces = [org]
    const federations = new Set<string>()
    for (const [federation, entries] of this.federations) {
      for (const e of entries.values()) {
        if (isEntry<CharterBody>(e, FEDERATION_CHARTER) && e.entry.body.orgs.includes(org)) federations.add(federation)
      }
    }
    spaces.push(...federations)
    for (const [space, policy] of this.policies) {
      if (policy.grants.some((g) => 'org' in g ? g.org === org : federations.has(g.federation))) spaces.push(space)
    }
    return spaces
  }

  private applyCutoffs (org: string, only?: string): void {
    const cutoffs = this.orgs.get(org)?.cutoffs
    if (cutoffs === undefined || cutoffs.size === 0) return
    const spaces = this.governs(org).filter((s) => only === undefined || s === only)
    for (const [target, list] of cutoffs) {
      for (const space of spaces) this.freeze(space, target, list, org)
    }
  }

  private freeze (space: string, target: string, list: Cutoff[], org: string): void {
    const genesis = this.log.genesis(space)
    if (genesis === undefined) return
    const creator = genesis.entry.author
    // A space's creator and listed writers keep what they made, unless the space belongs to the org.
    const owned = this.policies.get(space)?.owner === org
    if (space !== org && !owned && (target === creator || genesis.entry.body.policy.writers.includes(target))) return
    const head = this.log.head(space, target)
    const named = list.some((c) => headIn(c.heads, space) !== undefined)
    if (head === undefined && !named) return
    let atSeq = Math.min(...list.map((c) => headIn(c.heads, space) ?? 0))
    // Never unwind a genesis, nor the policy that says who writes (a granted space's seq 2).
    if (target === creator) atSeq = Math.max(atSeq, this.policies.has(space) ? 2 : 1)
    if (head?.frozenAt !== undefined && head.frozenAt <= atSeq) return
    const reasons = list.map((c) => `${c.kind} ${c.by}`).join(', ')
    const run = this.log.freeze(space, target, atSeq, `cut off by ${org}: ${reasons}`).catch((err: Error) => {
      if (err.name === 'LogClosedError') return
      this.failures.push(err)
      this.init.onError?.(err)
    })
    this.pending.add(run)
    void run.finally(() => { this.pending.delete(run) })
  }
}
