import type { Style } from './output.js'

/** Renderings of values for people; `--json` never goes through these. */

export function duration (ms: number): string {
  const s = Math.floor(ms / 1000)
  const parts: Array<[number, string]> = [[Math.floor(s / 86400), 'd'], [Math.floor(s / 3600) % 24, 'h'], [Math.floor(s / 60) % 60, 'm'], [s % 60, 's']]
  const shown = parts.filter(([n], i) => n > 0 || i === parts.length - 1)
  return shown.slice(0, 2).map(([n, unit]) => `${n}${unit}`).join(' ')
}

/** A hybrid logical clock's wall time as an ISO date without milliseconds. */
export function wallTime (ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

interface GenesisSummary {
  kind?: string
  name?: string
  policy?: { write?: string, writers?: unknown[] }
}

/** One line for an entry body: a note's text, a genesis's kind, name and policy, else compact JSON, cut to `max` characters. */
export function bodySummary (type: string, body: unknown, max = 60): string {
  let text: string
  if (type === 'space/note' && typeof (body as { text?: unknown })?.text === 'string') {
    text = (body as { text: string }).text
  } else if (type === 'space/genesis' && typeof body === 'object' && body !== null) {
    const g = body as GenesisSummary
    const others = g.policy?.writers?.length ?? 0
    const writers = g.policy?.write === 'anyone' ? 'anyone' : others === 0 ? 'owner' : `owner + ${others}`
    text = `${g.kind} space "${g.name}", writers: ${writers}`
  } else {
    text = JSON.stringify(body) ?? ''
  }
  const line = text.replace(/\s+/g, ' ')
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

/** An identity id shortened for a table column (`12D3KooWRUWR…a24i`); --json and detail views keep it whole. */
export function shortId (id: string): string {
  return id.length > 20 ? `${id.slice(0, 12)}…${id.slice(-4)}` : id
}

/** A count with its noun: `1 use`, `3 uses`, `2 entries`. */
export function plural (n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`
}

/** Names of ids as this node knows them (`GET /api/v1/names`): aliases, profile names, space names. */
export type Names = Readonly<Record<string, { name: string }>>

/**
 * An identity, org, board or market for people: its name beside its id, `Alice (12D3KooWRUWR…a24i)`.
 * `shown` is how the id appears: short in tables (the default), whole in detail views. An id
 * with no known name appears alone. The one rendering of names in the CLI.
 */
export function named (names: Names, id: string, shown = shortId(id)): string {
  const name = names[id]?.name
  return name === undefined || name === '' ? shown : `${name} (${shown})`
}

/** Who holds a task, for a table: a name and short id, marked when others claim it too. */
export function holderText (style: Style, task: { holder: string | null, contested: boolean }, names: Names = {}): string {
  if (task.holder === null) return '-'
  return named(names, task.holder) + (task.contested ? style.yellow(' (contested)') : '')
}
