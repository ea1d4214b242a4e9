import { generateKeyBetween } from 'fractional-indexing'

/**
 * A fractional index between two ranks of a column (null: the column's start or end). `ranks`
 * is the column's ranks in order. Concurrent moves can give two tasks the same rank; between
 * equal neighbours the key goes after the tie. A rank that is not a valid key (the document is
 * writable by every grantee) is skipped over rather than failing the move.
 */
export function rankBetween (before: string | null, after: string | null, ranks: string[]): string {
  if (before !== null && after !== null && before >= after) after = ranks.find((r) => r > before) ?? null
  for (const [a, b] of [[before, after], [before, null], [null, after]] as const) {
    try {
      return generateKeyBetween(a, b)
    } catch (err) {
      if (!(err instanceof Error)) throw err
    }
  }
  return generateKeyBetween(ranks.findLast((r) => isKey(r)) ?? null, null)
}

function isKey (rank: string): boolean {
  try {
    generateKeyBetween(rank, null)
    return true
  } catch {
    return false
  }
}
