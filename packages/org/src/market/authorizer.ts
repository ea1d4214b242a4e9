import { UnauthorizedError, type SignedEntry } from '@mutual/protocol'
import type { Authorizer } from '@mutual/log'
import { cidText, idOf, isEntry } from '../entries.js'
import { adminProof, credentialsOf, withRole } from '../evidence.js'
import { grantsIn, policyIn } from '../grant-authorizer.js'
import { HandoverMismatchError, MisplacedRecordError, MissingEvidenceError, NotAdminError, RateLimitError, RevokedError } from '../errors.js'
import { resolveSource, type OrgSource, type OrgSourceInit } from '../source.js'
import { TASK_ACCEPT, TASK_ANNOUNCE, TASK_APPLY, TASK_DECLINE, type MarketAcceptBody, type AnnounceBody, type ApplyBody, type DecisionBody } from './records.js'

export interface RateLimits {
  /** entries of each type one author may write per window */
  perWindow: Readonly<Record<string, number>>
  windowMs: number
}

/** At most 20 announcements and 50 applications per author per hour, by their stamps. */
export const DEFAULT_RATE_LIMITS: RateLimits = Object.freeze({
  perWindow: Object.freeze({ [TASK_ANNOUNCE]: 20, [TASK_APPLY]: 50 }),
  windowMs: 60 * 60_000
})

export interface MarketAuthorizerInit {
  /** the registry that counts each author's recent market entries; required */
  orgs: OrgSourceInit
  limits?: RateLimits
}

const MARKET_TYPES = new Set([TASK_ANNOUNCE, TASK_APPLY, TASK_ACCEPT, TASK_DECLINE])

/**
 * The market's rules, on top of who may write the space (the genesis policy or its grants):
 *
 * - an application names its announcement in refs; a decision names the application and its
 *   announcement, and is by the announcement's author or by a reviewer or admin of an
 *   organization the space's policy grants (naming the policy and their credential or admin
 *   evidence);
 * - rate limits, decided from the author's own earlier entries in the space: the log places an
 *   author's entries in seq order, so when one is checked exactly its predecessors are known,
 *   on every node alike, and the count by stamp is deterministic. Stamps only grow along a
 *   chain (the log refuses a regression) and may not run ahead of the clock (skew bound), so a
 *   burst cannot be spread over the future; see README for what backdating can still do.
 *
 * An acceptance's hand-over must name its announcement's board and task and its applicant; the
 * board decides what the hand-over grants (`handoverIn`).
 *
 * Market records are refused outside market spaces.
 */
export function marketAuthorizer (init: MarketAuthorizerInit): Authorizer {
  const limits = init.limits ?? DEFAULT_RATE_LIMITS
  return {
    authorize (entry, genesis, refs) {
      const { type, author, ts } = entry.entry
      if (genesis.entry.body.kind !== 'market') {
        if (MARKET_TYPES.has(type)) throw new MisplacedRecordError(`${type} belongs in a market space`)
        return
      }
      if (!MARKET_TYPES.has(type)) return
      const source = resolveSource(init.orgs)
      if (source === undefined) throw new TypeError('the market authorizer needs its org registry before entries arrive')
      const limit = limits.perWindow[type]
      if (limit !== undefined) {
        const recent = source.recent(entry.space, author, type, ts[0] - limits.windowMs)
        if (recent + 1 > limit) throw new RateLimitError(`${author} wrote ${recent} ${type} within ${limits.windowMs} ms before this one; the limit is ${limit}`)
      }
      if (type === TASK_APPLY) {
        announcementIn(entry.space, cidText((entry.entry.body as ApplyBody).announcement), refs)
      } else if (type === TASK_ACCEPT || type === TASK_DECLINE) {
        const appId = cidText((entry.entry.body as DecisionBody).application)
        const application = refs.find((r) => isEntry<ApplyBody>(r, TASK_APPLY, entry.space) && idOf(r) === appId) as SignedEntry<ApplyBody> | undefined
        if (application === undefined) throw new MissingEvidenceError(`a decision names the application ${appId} of this market in refs`)
        const announcement = announcementIn(entry.space, cidText(application.entry.body.announcement), refs)
        if (announcement.entry.author !== author) checkDecider(entry, genesis, refs, source)
        const handover = type === TASK_ACCEPT ? (entry.entry.body as MarketAcceptBody).handover : undefined
        if (handover !== undefined) {
          const { board, task } = announcement.entry.body
          if (handover.board !== board || handover.task !== task || handover.applicant !== application.entry.author) {
            throw new HandoverMismatchError(`the hand-over names ${handover.board}/${handover.task} for ${handover.applicant}; the announcement names ${board ?? 'no board'}/${task ?? 'no task'} and the application is ${application.entry.author}'s`)
          }
        }
      }
    }
  }
}

function announcementIn (space: string, id: string, refs: SignedEntry[]): SignedEntry<AnnounceBody> {
  const found = refs.find((r) => isEntry<AnnounceBody>(r, TASK_ANNOUNCE, space) && idOf(r) === id) as SignedEntry<AnnounceBody> | undefined
  if (found === undefined) throw new MissingEvidenceError(`the announcement ${id} of this market is not named in refs`)
  return found
}

/** A reviewer or admin of an organization the market's policy grants. */
function checkDecider (entry: SignedEntry, genesis: Parameters<typeof policyIn>[1], refs: SignedEntry[], source: OrgSource): void {
  const { author, seq, ts } = entry.entry
  const policy = policyIn(entry.space, genesis, refs)
  if (policy === undefined) throw new NotAdminError(`only the announcer decides on applications in ${entry.space}, or a reviewer or admin of an org its policy grants`)
  const orgs = new Set(grantsIn(policy.entry.body, refs).keys())
  const cut = (org: string): void => {
    const bound = source.cutoff(org, author, entry.space)
    if (bound !== undefined && seq > bound) throw new RevokedError(`${author} was cut off by ${org} after seq ${bound}`)
  }
  for (const org of orgs) {
    try {
      adminProof(org, author, refs)
    } catch (err) {
      if (err instanceof UnauthorizedError) continue
      throw err
    }
    cut(org)
    return
  }
  const reviewer = withRole(credentialsOf(orgs, author, refs, ts), ['reviewer'],
    () => new NotAdminError(`${author} is neither the announcer nor a reviewer or admin of an org granted ${entry.space}`))
  cut(reviewer[0].space)
}
