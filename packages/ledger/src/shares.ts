import type { Components } from './distribution.js'
import type { Weights } from './policy.js'

export const PPM = 1_000_000

export const COMPONENTS = ['effort', 'quality', 'satisfaction', 'endorsement', 'allocation'] as const

const WEIGHT_OF: Record<typeof COMPONENTS[number], keyof Weights> = {
  effort: 'effort', quality: 'quality', satisfaction: 'satisfaction', endorsement: 'endorsement', allocation: 'allocation'
}

export function zeroComponents (): Components {
  return { effort: 0, quality: 0, satisfaction: 0, endorsement: 0, allocation: 0 }
}

export function addComponents (into: Components, add: Partial<Components>): void {
  for (const c of COMPONENTS) into[c] += add[c] ?? 0
}

/** Floor of a / b for non-negative safe integers, without a floating-point division. */
export function idiv (a: number, b: number): number {
  return (a - a % b) / b
}

/**
 * Exact scores. A participant's score is Σ over components of weight × raw / total, where a
 * component whose total is zero (nobody has any) drops out. The terms are brought to the common
 * denominator Π totals, so each score is an exact integer numerator (a BigInt): no rounding
 * happens before the final apportionment.
 */
export function scores (raw: Map<string, Components>, totals: Components, weights: Weights): Map<string, bigint> {
  const used = COMPONENTS.filter((c) => totals[c] > 0 && weights[WEIGHT_OF[c]] > 0)
  const denominator = used.reduce((d, c) => d * BigInt(totals[c]), 1n)
  const out = new Map<string, bigint>()
  for (const [id, components] of raw) {
    let score = 0n
    for (const c of used) score += BigInt(weights[WEIGHT_OF[c]]) * BigInt(components[c]) * (denominator / BigInt(totals[c]))
    out.set(id, score)
  }
  return out
}

/**
 * Largest-remainder apportionment of one million parts: each participant first gets the floor of
 * its exact share, then the parts left over (fewer than the number of participants) go one each
 * to the largest remainders, ties broken by the lower identity id. Participants with a zero score
 * get no line; when every score is zero there are no shares.
 */
export function apportion (scores: Map<string, bigint>): Array<{ participant: string, ppm: number }> {
  const positive = [...scores].filter(([, s]) => s > 0n).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
  const total = positive.reduce((sum, [, s]) => sum + s, 0n)
  if (total === 0n) return []
  const lines = positive.map(([participant, s]) => {
    const scaled = BigInt(PPM) * s
    return { participant, ppm: Number(scaled / total), remainder: scaled % total }
  })
  let left = PPM - lines.reduce((sum, l) => sum + l.ppm, 0)
  const order = [...lines].sort((a, b) => a.remainder > b.remainder ? -1 : a.remainder < b.remainder ? 1 : a.participant < b.participant ? -1 : 1)
  for (const line of order) {
    if (left === 0) break
    line.ppm++
    left--
  }
  return lines.map(({ participant, ppm }) => ({ participant, ppm }))
}
