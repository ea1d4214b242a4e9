import { cidOf, cidString, encode, type SignedEntry } from '@mutual/protocol'
import {
  BASIS_POINTS, CONTRIB_ALLOCATE, CONTRIB_ATTEST, CONTRIB_ENDORSE, CONTRIB_FEEDBACK, CONTRIB_RECORD, DISPUTE_OPEN, DISPUTE_RESOLVE,
  distribute, distributionHash, encodeDistribution,
  type Components, type Distribution, type Participants, type ValuationPolicy
} from '@mutual/ledger'
import { LedgerBuilder, PERIOD, mapParticipants, march, namedIdentity, policy } from './helpers.js'

/**
 * The worked example of docs/VALUE-EXAMPLE.md: a small team's March 2025. Alice, Bob and Carol
 * are members (Alice also admin, Bob also reviewer, Carol also union representative); Dex is an
 * agent operated by Alice; Rita reviews; Cody is a consumer.
 */
export interface Example {
  policy: ValuationPolicy
  participants: Participants
  entries: SignedEntry[]
  /** identity id → name */
  names: Map<string, string>
  /** entry id → label */
  labels: Map<string, string>
  distribution: Distribution
}

export function workedExample (): Example {
  const people = {
    Alice: namedIdentity('alice'),
    Bob: namedIdentity('bob'),
    Carol: namedIdentity('carol'),
    Dex: namedIdentity('dex'),
    Rita: namedIdentity('rita'),
    Cody: namedIdentity('cody')
  }
  const { Alice, Bob, Carol, Dex, Rita, Cody } = people
  const participants = mapParticipants({
    [Alice.id]: ['member', 'admin'],
    [Bob.id]: ['member', 'reviewer'],
    [Carol.id]: ['member', 'union-rep'],
    [Dex.id]: ['agent'],
    [Rita.id]: ['reviewer'],
    [Cody.id]: ['consumer']
  }, { [Dex.id]: Alice.id })
  const board = cidOf(encode({ board: 'website' }))
  const labels = new Map<string, string>()
  const b = new LedgerBuilder()
  const add = (label: string, ...args: Parameters<LedgerBuilder['add']>): SignedEntry => {
    const entry = b.add(...args) as SignedEntry
    labels.set(cidString(entry.id), label)
    return entry
  }
  const record = (label: string, who: typeof Alice, day: number, body: Record<string, unknown>): SignedEntry =>
    add(label, who, CONTRIB_RECORD, { evidence: [], period: PERIOD, ...body }, march(day))
  const attest = (label: string, who: typeof Alice, day: number, target: SignedEntry, quality: number): SignedEntry =>
    add(label, who, CONTRIB_ATTEST, { contribution: target.id, verdict: 'accept', quality, note: '' }, march(day), [target])

  const A1 = record('A1', Alice, 3, { task: 'landing-page', board, kind: 'work', effort: 1000, summary: 'Landing page layout' })
  const B1 = record('B1', Bob, 5, { task: 'landing-page', board, kind: 'work', effort: 2000, summary: 'Landing page copy and build' })
  const B2 = record('B2', Bob, 6, { kind: 'innovation', effort: 500, summary: 'Edge caching idea' })
  const C1 = record('C1', Carol, 10, { task: 'checkout', board, kind: 'coordination', effort: 800, summary: 'Checkout planning with the client' })
  const D1 = record('D1', Dex, 11, { task: 'checkout', board, kind: 'work', effort: 1200, summary: 'Generated checkout test suite' })

  attest('R1', Rita, 12, A1, 4)
  attest('R2', Rita, 12, B1, 3)
  attest('R3', Rita, 12, B2, 5)
  attest('R4', Rita, 12, C1, 5)
  attest('R5', Rita, 12, D1, 4)
  attest('R6', Bob, 13, C1, 4)
  attest('R7', Bob, 13, B1, 5)

  add('E1', Carol, CONTRIB_ENDORSE, { contribution: B1.id }, march(15), [B1])
  add('E2', Alice, CONTRIB_ENDORSE, { contribution: C1.id }, march(15), [C1])
  add('E3', Bob, CONTRIB_ENDORSE, { contribution: C1.id }, march(15), [C1])

  add('F1', Cody, CONTRIB_FEEDBACK, { task: 'landing-page', board, satisfaction: 5 }, march(20))
  add('F2', Cody, CONTRIB_FEEDBACK, { task: 'checkout', board, satisfaction: 3 }, march(21))
  add('F3', Cody, CONTRIB_FEEDBACK, { task: 'landing-page', board, satisfaction: 1, note: 'changed my mind' }, march(25))

  const X1 = add('X1', Carol, DISPUTE_OPEN, { target: B2.id, reason: 'The caching idea was already in the design doc of March 1' }, march(22), [B2])
  add('X2', Alice, DISPUTE_RESOLVE, { dispute: X1.id, outcome: 'upheld', note: 'Confirmed', void: true }, march(24, 10), [X1])
  add('X3', Carol, DISPUTE_RESOLVE, { dispute: X1.id, outcome: 'upheld', note: 'Agreed', void: true }, march(24, 15), [X1])

  const april = Date.UTC(2025, 3, 1, 12)
  add('L1', Alice, CONTRIB_ALLOCATE, { period: PERIOD, points: [[Bob.id, 60], [Carol.id, 40]] }, april)
  add('L2', Bob, CONTRIB_ALLOCATE, { period: PERIOD, points: [[Alice.id, 50], [Carol.id, 50]] }, april)
  add('L3', Carol, CONTRIB_ALLOCATE, { period: PERIOD, points: [[Alice.id, 30], [Bob.id, 30], [Dex.id, 40]] }, april)

  const valuation = policy()
  const names = new Map(Object.entries(people).map(([name, identity]) => [identity.id, name]))
  return { policy: valuation, participants, entries: b.entries, names, labels, distribution: distribute(valuation, b.entries, participants, PERIOD) }
}

const COMPONENT_NAMES: Array<keyof Components> = ['effort', 'quality', 'satisfaction', 'endorsement', 'allocation']

/** The generated part of docs/VALUE-EXAMPLE.md: every table, from the distribution itself. */
export function renderExample (example: Example): string {
  const { distribution: d, names, labels, policy: p } = example
  const name = (id: string): string => names.get(id) ?? id
  const label = (id: string): string => labels.get(id) ?? id
  const out: string[] = []
  const byName = <T>(xs: Array<[string, T]>): Array<[string, T]> => [...xs].sort(([a], [b]) => name(a) < name(b) ? -1 : 1)
  const row = (...cells: Array<string | number>): void => { out.push(`| ${cells.join(' | ')} |`) }

  out.push('### Entries', '')
  row('entry', 'written (UTC)', 'author', 'type', 'what')
  row('---', '---', '---', '---', '---')
  for (const e of example.entries) {
    const id = cidString(e.id)
    row(label(id), new Date(e.entry.ts[0]).toISOString().slice(0, 16).replace('T', ' '), name(e.entry.author), e.entry.type, describe(e, name, label))
  }
  out.push('', '### Contributions', '')
  row('entry', 'author', 'paid to', 'effort', 'accepts', 'rejects', 'quality ×1000', 'ratings', 'satisfaction ×1000', 'endorsements', 'counted', 'effort', 'quality', 'satisfaction', 'endorsement')
  row(...Array(15).fill('---'))
  for (const c of [...d.contributions].sort((x, y) => label(x.id) < label(y.id) ? -1 : 1)) {
    row(label(c.id), name(c.author), name(c.paidTo), c.effort, c.accepts, c.rejects, c.quality, c.ratings, c.satisfaction, c.endorsements,
      c.counted ? 'yes' : `no (${c.reason ?? ''})`, c.components.effort, c.components.quality, c.components.satisfaction, c.components.endorsement)
  }
  out.push('', '### Entries left out', '')
  row('entry', 'author', 'type', 'reason')
  row('---', '---', '---', '---')
  for (const i of [...d.ignored].sort((x, y) => label(x.id) < label(y.id) ? -1 : 1)) row(label(i.id), name(i.author), i.type, i.reason)
  out.push('', '### Disputes', '')
  row('dispute', 'target', 'opened by', 'status', 'void', 'decided by')
  row('---', '---', '---', '---', '---', '---')
  for (const x of d.disputes) row(label(x.id), label(x.target), name(x.opener), x.status, x.void ? 'yes' : 'no', x.decidedBy.map(label).join(', '))
  out.push('', '### Allocations', '')
  row('entry', 'author', 'counted', 'points', 'dropped')
  row('---', '---', '---', '---', '---')
  for (const a of [...d.allocations].sort((x, y) => label(x.id) < label(y.id) ? -1 : 1)) {
    row(label(a.id), name(a.author), a.counted ? 'yes' : `no (${a.reason ?? ''})`,
      byName(a.points).map(([to, n]) => `${name(to)} ${n}`).join(', '), byName(a.dropped).map(([to, why]) => `${name(to)} (${why})`).join(', '))
  }
  out.push('', '### Raw components per identity', '')
  row('identity', 'paid to', ...COMPONENT_NAMES)
  row(...Array(7).fill('---'))
  for (const x of [...d.participants].sort((a, b) => name(a.id) < name(b.id) ? -1 : 1)) row(name(x.id), name(x.paidTo), ...COMPONENT_NAMES.map((c) => x.components[c]))
  row('**total**', '', ...COMPONENT_NAMES.map((c) => `**${d.totals[c]}**`))

  out.push('', '### Shares', '')
  out.push(`Weights (basis points): ${COMPONENT_NAMES.map((c) => `${c} ${p.weights[c]}`).join(', ')}.`, '')
  row('paid to', 'includes', 'score (basis points)', 'exact ppm', 'ppm')
  row('---', '---', '---', '---', '---')
  const paid = new Map<string, Components>()
  for (const x of d.participants) {
    const into = paid.get(x.paidTo) ?? { effort: 0, quality: 0, satisfaction: 0, endorsement: 0, allocation: 0 }
    for (const c of COMPONENT_NAMES) into[c] += x.components[c]
    paid.set(x.paidTo, into)
  }
  for (const s of [...d.shares].sort((a, b) => name(a.participant) < name(b.participant) ? -1 : 1)) {
    const c = paid.get(s.participant)
    if (c === undefined) continue
    const used = COMPONENT_NAMES.filter((k) => d.totals[k] > 0 && p.weights[k] > 0)
    const formula = used.map((k) => `${p.weights[k]}×${c[k]}/${d.totals[k]}`).join(' + ')
    row(name(s.participant), [s.participant, ...s.agents].map(name).join(' + '), formula, exactPpm(c, d.totals, p), `**${s.ppm}**`)
  }
  row('**total**', '', '', '', `**${d.shares.reduce((t, s) => t + s.ppm, 0)}**`)
  out.push('', `Encoded distribution: ${encodeDistribution(d).byteLength} bytes, sha-256 \`${distributionHash(d)}\`, ${d.inputs.length} input entries.`)
  return out.join('\n')
}

/** A short account of an entry's body for the entries table. */
function describe (e: SignedEntry, name: (id: string) => string, label: (id: string) => string): string {
  const body = e.entry.body as any
  switch (e.entry.type) {
    case CONTRIB_RECORD: return `${body.kind}, effort ${body.effort}${body.task === undefined ? ', no task' : `, task ${body.task}`}: ${body.summary}`
    case CONTRIB_ATTEST: return `${body.verdict} ${label(cidString(body.contribution))}, quality ${body.quality}`
    case CONTRIB_ENDORSE: return `endorse ${label(cidString(body.contribution))}`
    case CONTRIB_FEEDBACK: return `task ${body.task}, satisfaction ${body.satisfaction}`
    case DISPUTE_OPEN: return `dispute ${label(cidString(body.target))}: ${body.reason}`
    case DISPUTE_RESOLVE: return `resolve ${label(cidString(body.dispute))}: ${body.outcome}${body.void === true ? ', void' : ''}`
    case CONTRIB_ALLOCATE: return (body.points as Array<[string, number]>).map(([to, n]) => `${name(to)} ${n}`).join(', ')
    default: return ''
  }
}

/** score / 10,000 × 1,000,000 with four decimals, when every component is in use (the sum of scores is then 10,000). */
function exactPpm (c: Components, totals: Components, p: ValuationPolicy): string {
  const used = COMPONENT_NAMES.filter((k) => totals[k] > 0 && p.weights[k] > 0)
  const denominator = used.reduce((x, k) => x * BigInt(totals[k]), 1n)
  const numerator = used.reduce((x, k) => x + BigInt(p.weights[k]) * BigInt(c[k]) * (denominator / BigInt(totals[k])), 0n)
  const scaled = numerator * 1_000_000n * 10_000n / (denominator * BigInt(BASIS_POINTS))
  const text = scaled.toString().padStart(5, '0')
  return `${text.slice(0, -4)}.${text.slice(-4)}`
}
