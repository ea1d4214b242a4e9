import { CID, cidString, type SignedEntry } from '@mutual/protocol'
import { distribute, type DistributeOptions } from './distribute.js'
import type { Distribution } from './distribution.js'
import { distributionDigest, toHex } from './encode.js'
import { InvalidSettlementError, SettlementTooLargeError } from './errors.js'
import type { Participants } from './participants.js'
import type { ValuationPolicy } from './policy.js'
import { MAX_SETTLEMENT_INPUTS, SETTLEMENT, settlementSchema, type SettlementBody } from './records.js'

export interface SettlementCheck {
  /** true when the recomputed distribution has the settled hash and the same inputs */
  ok: boolean
  /** the hash the settlement signed, hex */
  expected: string
  /** the hash of the distribution recomputed from the entries given, hex */
  actual: string
  /** ids the settlement names that are not among the recomputed inputs (lacking here, or altered) */
  missing: string[]
  /** recomputed inputs the settlement does not name (added since, or altered) */
  extra: string[]
  distribution: Distribution
}

/**
 * The body of a `settlement` entry for a distribution: its period, the org entry that ratified the
 * policy, the sha-256 of its canonical bytes, and the ids of every input entry (sorted).
 */
export function settle (distribution: Distribution, policy: CID): SettlementBody {
  if (distribution.inputs.length > MAX_SETTLEMENT_INPUTS) {
    throw new SettlementTooLargeError(`${distribution.inputs.length} inputs exceed the ${MAX_SETTLEMENT_INPUTS} a settlement can name`)
  }
  return {
    period: distribution.period,
    policy,
    hash: distributionDigest(distribution),
    inputs: distribution.inputs.length,
    ids: distribution.inputs.map((id) => CID.parse(id))
  }
}

/**
 * Recomputes a settlement from the entries at hand and compares. It fails when an input entry was
 * altered (its id changes: the old id is missing, the new one extra), removed, or added, and when
 * anything else the hash covers differs (policy, participants' roles, frozen identities).
 */
export function verifySettlement (
  settlement: SignedEntry, policy: ValuationPolicy, entries: Iterable<SignedEntry>, participants: Participants, options: DistributeOptions = {}
): SettlementCheck {
  if (settlement.entry.type !== SETTLEMENT) throw new InvalidSettlementError(`a ${settlement.entry.type.slice(0, 64)} entry is not a settlement`)
  const parsed = settlementSchema.safeParse(settlement.entry.body)
  if (!parsed.success) throw new InvalidSettlementError(`settlement body: ${parsed.error.issues[0].message}`)
  const body = parsed.data
  const distribution = distribute(policy, entries, participants, body.period, options)
  const expected = toHex(body.hash)
  const actual = toHex(distributionDigest(distribution))
  const settled = new Set(body.ids.map((id) => cidString(id)))
  const recomputed = new Set(distribution.inputs)
  const missing = [...settled].filter((id) => !recomputed.has(id)).sort()
  const extra = distribution.inputs.filter((id) => !settled.has(id))
  return { ok: expected === actual && missing.length === 0 && extra.length === 0, expected, actual, missing, extra, distribution }
}
