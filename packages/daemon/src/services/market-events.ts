import { cidString, type SignedEntry } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import { TASK_ACCEPT, TASK_APPLY, TASK_DECLINE, type ApplyBody, type MarketAcceptBody } from '@mutual/org'

/** An event of the stream about a market entry: what an inbox needs to tell whom. */
export interface MarketEvent {
  type: 'market.application' | 'market.accepted' | 'market.declined'
  data: {
    market: string
    /** the application (received) or the decision (accepted, declined) */
    entry: string
    application: string
    announcement: string
    /** who applied: the person a decision concerns */
    applicant: string
    /** who wrote this entry */
    by: string
    reason?: string
    /** an acceptance that hands a board task over */
    handover?: { board: string, task: string }
  }
}

/**
 * The event for an application received, accepted or declined (DESIGN §6: an inbox needs no
 * polling); undefined for every other entry, or a decision whose application is not held.
 */
export async function marketEventOf (log: Log, entry: SignedEntry): Promise<MarketEvent | undefined> {
  const { type, author, body } = entry.entry
  const id = cidString(entry.id)
  if (type === TASK_APPLY) {
    const { announcement } = body as ApplyBody
    return { type: 'market.application', data: { market: entry.space, entry: id, application: id, announcement: cidString(announcement), applicant: author, by: author } }
  }
  if (type !== TASK_ACCEPT && type !== TASK_DECLINE) return undefined
  const { application, reason, handover } = body as MarketAcceptBody
  const applied = await log.getById(cidString(application))
  if (applied === undefined) return undefined
  return {
    type: type === TASK_ACCEPT ? 'market.accepted' : 'market.declined',
    data: {
      market: entry.space,
      entry: id,
      application: cidString(application),
      announcement: cidString((applied.entry.body as ApplyBody).announcement),
      applicant: applied.entry.author,
      by: author,
      reason,
      ...(handover === undefined ? {} : { handover: { board: handover.board, task: handover.task } })
    }
  }
}
