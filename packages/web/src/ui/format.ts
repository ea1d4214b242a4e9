/** Identity ids are long PeerIds (12D3KooW…): people see the tail, which differs between ids. */
export function shortId (id: string | null | undefined): string {
  if (id === null || id === undefined || id === '') return '—'
  return id.length <= 10 ? id : `…${id.slice(-6)}`
}

const dateFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' })
const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

export function shortDate (iso: string | null): string {
  if (iso === null || iso === '') return ''
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d)
}

export function when (iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : timeFormat.format(d)
}

export function percent (ppm: number): string {
  return `${(ppm / 10_000).toFixed(1)}%`
}

export function duration (ms: number): string {
  const s = Math.floor(ms / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m`
  const h = Math.floor(m / 60)
  return h < 48 ? `${h}h ${m % 60}m` : `${Math.floor(h / 24)}d`
}
