import { PROFILE_TYPE, compareProfiles, type ProfileBody, type ProfileRecord, type SignedEntry } from '@mutual/protocol'

/**
 * The latest profile of each identity across every space held, a pure fold over the profile
 * entries seen (no I/O): whatever order they arrive in, the same entries give the same names
 * (`compareProfiles`: later stamp, then higher entry id). It also remembers, per space, which
 * profile of each author is the latest there, so the daemon can tell where its own current
 * profile has not been published yet.
 */
export class NamesView {
  private readonly latest = new Map<string, ProfileRecord>()
  /** space → author → the latest profile there */
  private readonly bySpace = new Map<string, Map<string, ProfileRecord>>()

  /** Takes a signed entry of any type; a profile counts, anything else is ignored. True when it changed a name. */
  add (entry: SignedEntry): boolean {
    if (entry.entry.type !== PROFILE_TYPE) return false
    const record: ProfileRecord = { body: entry.entry.body as ProfileBody, id: entry.id.toString(), ts: entry.entry.ts, space: entry.space }
    const author = entry.entry.author
    const inSpace = this.bySpace.get(entry.space) ?? new Map<string, ProfileRecord>()
    this.bySpace.set(entry.space, inSpace)
    const there = inSpace.get(author)
    if (there === undefined || compareProfiles(there, record) < 0) inSpace.set(author, record)
    const current = this.latest.get(author)
    if (current !== undefined && compareProfiles(current, record) >= 0) return false
    this.latest.set(author, record)
    return true
  }

  profile (identity: string): ProfileRecord | undefined {
    return this.latest.get(identity)
  }

  /** The identities with a profile. */
  identities (): string[] {
    return [...this.latest.keys()].sort()
  }

  /** True when the latest profile of `author` in the space says what `body` says. */
  holds (space: string, author: string, body: ProfileBody): boolean {
    const there = this.bySpace.get(space)?.get(author)
    return there !== undefined && sameProfile(there.body, body)
  }
}

export function sameProfile (a: ProfileBody, b: ProfileBody): boolean {
  return a.identity === b.identity && a.name === b.name && a.description === b.description && a.kind === b.kind
}
