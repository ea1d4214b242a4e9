import type { SignedEntry, Stamp } from '@mutual/protocol'
import { canonical, cidText, idOf, isEntry } from '../entries.js'
import { TASK_ACCEPT, TASK_ANNOUNCE, TASK_APPLY, TASK_DECLINE, type AnnounceBody, type ApplyBody, type DecisionBody } from './records.js'

export interface DecisionView {
  id: string
  author: string
  ts: Stamp
  kind: 'accept' | 'decline'
  reason: string
}

export interface ApplicationView {
  id: string
  author: string
  ts: Stamp
  note: string
  decisions: DecisionView[]
  /** the latest decision (canonical order) stands; open until there is one */
  status: 'open' | 'accepted' | 'declined'
}

export interface AnnouncementView {
  id: string
  author: string
  ts: Stamp
  body: AnnounceBody
  applications: ApplicationView[]
}

/**
 * A market's announcements, each with its applications and their decisions: a pure function of
 * the space's (valid) entries, in canonical order. A decision may be revised by a later one; the
 * latest stands and all are kept, as every gatekeeping act is signed and shown.
 */
export function marketView (entries: Iterable<SignedEntry>): AnnouncementView[] {
  const announcements = new Map<string, AnnouncementView>()
  const applications = new Map<string, ApplicationView>()
  for (const e of canonical(entries)) {
    const id = idOf(e)
    if (isEntry<AnnounceBody>(e, TASK_ANNOUNCE)) {
      announcements.set(id, { id, author: e.entry.author, ts: e.entry.ts, body: e.entry.body, applications: [] })
    } else if (isEntry<ApplyBody>(e, TASK_APPLY)) {
      const a = announcements.get(cidText(e.entry.body.announcement))
      if (a === undefined) continue
      const view: ApplicationView = { id, author: e.entry.author, ts: e.entry.ts, note: e.entry.body.note, decisions: [], status: 'open' }
      a.applications.push(view)
      applications.set(id, view)
    } else if (isEntry<DecisionBody>(e, TASK_ACCEPT) || isEntry<DecisionBody>(e, TASK_DECLINE)) {
      const app = applications.get(cidText(e.entry.body.application))
      if (app === undefined) continue
      const kind = e.entry.type === TASK_ACCEPT ? 'accept' : 'decline'
      app.decisions.push({ id, author: e.entry.author, ts: e.entry.ts, kind, reason: e.entry.body.reason })
      app.status = kind === 'accept' ? 'accepted' : 'declined'
    }
  }
  return [...announcements.values()]
}
