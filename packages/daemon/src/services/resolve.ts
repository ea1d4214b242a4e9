import { AmbiguousNameError, UnknownNameError, type NameCandidate } from '../errors.js'

/** Ids a prefix must be at least this long to select (shorter ones say too little, as in git). */
export const MIN_PREFIX = 4

/** One thing a query may mean: its id, its name for people, and local aliases of it. */
export interface Candidate extends NameCandidate {
  aliases?: readonly string[]
  /** other names it goes by besides `name` (an identity's profile name, where an alias is shown) */
  names?: readonly string[]
}

/**
 * Which one of `candidates` a query means, in this order: the id itself; a local alias; a name
 * (ignoring case); an id prefix of at least MIN_PREFIX characters. The first tier that matches
 * decides: one match is the answer, several are refused with AmbiguousNameError naming them,
 * none falls to the next tier; after the last, UnknownNameError. A pure function: the daemon's
 * service gathers the candidates.
 */
export function pick (what: string, query: string, candidates: readonly Candidate[]): string {
  const q = query.trim()
  const folded = q.toLowerCase()
  const tiers: Array<(c: Candidate) => boolean> = [
    (c) => c.id === q,
    (c) => c.aliases?.includes(q) === true,
    (c) => [c.name, ...(c.names ?? [])].some((n) => n !== '' && n.toLowerCase() === folded),
    (c) => q.length >= MIN_PREFIX && c.id.startsWith(q)
  ]
  for (const matches of tiers) {
    const found = unique(candidates.filter(matches))
    if (found.length === 1) return found[0].id
    if (found.length > 1) throw new AmbiguousNameError(what, q, found.map(({ id, name }) => ({ id, name })).sort((a, b) => a.id < b.id ? -1 : 1))
  }
  throw new UnknownNameError(`"${q.slice(0, 128)}" is not ${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what} id, id prefix or name known here${q.length < MIN_PREFIX ? ` (an id prefix needs at least ${MIN_PREFIX} characters)` : ''}`)
}

function unique (candidates: Candidate[]): Candidate[] {
  const seen = new Map<string, Candidate>()
  for (const c of candidates) if (!seen.has(c.id)) seen.set(c.id, c)
  return [...seen.values()]
}
