/**
 * Who a comment @mentions, against the people this node knows (pure). `@` at the start of the
 * text or after a character that is not a letter, digit or `_` opens a mention; what follows is
 *
 * - a known name or alias (case-insensitive, spaces allowed: `@Site lead`), ending where the text
 *   ends or at a character that is not a letter, digit or `_`; the longest known name that fits
 *   wins, and a name more than one person has means nobody;
 * - else an identity id or a prefix of one, at least `MIN_PREFIX` characters of base58, that fits
 *   exactly one person known.
 */

/** A person this node knows: their id and every name it knows them by (profile name, aliases). */
export interface Person {
  id: string
  names: readonly string[]
}

/** The shortest id prefix taken as a mention: `@12D3KooW` alone fits every identity. */
export const MIN_PREFIX = 12

const WORD = /[\p{L}\p{N}_]/u
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+/

/** The ids of the people `text` mentions, in order of first mention. */
export function mentionedIds (text: string, people: readonly Person[]): string[] {
  if (!text.includes('@')) return []
  const byName = new Map<string, Set<string>>()
  for (const person of people) {
    for (const name of person.names) {
      const key = name.trim().toLowerCase()
      if (key === '') continue
      const ids = byName.get(key) ?? new Set<string>()
      ids.add(person.id)
      byName.set(key, ids)
    }
  }
  const names = [...byName.keys()].sort((a, b) => b.length - a.length)
  const found: string[] = []
  const add = (id: string): void => { if (!found.includes(id)) found.push(id) }
  const lower = text.toLowerCase()
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    if (at > 0 && WORD.test(text[at - 1])) continue
    const rest = lower.slice(at + 1)
    const name = names.find((n) => rest.startsWith(n) && (rest.length === n.length || !WORD.test(rest[n.length])))
    if (name !== undefined) {
      const ids = byName.get(name) as Set<string>
      if (ids.size === 1) add([...ids][0])
      continue
    }
    const prefix = BASE58.exec(text.slice(at + 1))?.[0]
    if (prefix === undefined || prefix.length < MIN_PREFIX) continue
    const fits = people.filter((p) => p.id.startsWith(prefix))
    if (fits.length === 1) add(fits[0].id)
  }
  return found
}
