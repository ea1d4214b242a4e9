import { createHash, createPrivateKey, createPublicKey } from 'node:crypto'
import { CID, cidOf, encode, importIdentity, signEntry, type Identity, type Point, type Role, type SignedEntry, type Stamp } from '@mutual/protocol'
import type { Participants, ValuationPolicy } from '@mutual/ledger'

export const PERIOD = '2025-03'

/** Milliseconds of a day (and hour) of March 2025, UTC. */
export function march (day: number, hour = 12): number {
  return Date.UTC(2025, 2, day, hour)
}

/**
 * An identity derived from a name, the same on every run (so ids, entry ids and hashes in the
 * worked example are reproducible). libp2p's private key protobuf: field 1 the key type
 * (Ed25519 = 1), field 2 the seed followed by the public key.
 */
export function namedIdentity (name: string): Identity {
  const seed = createHash('sha256').update(`mutual/ledger/test/${name}`).digest()
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed])
  const publicKey = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }))
    .export({ format: 'der', type: 'spki' }).subarray(12)
  return importIdentity(Buffer.concat([Buffer.from([0x08, 0x01, 0x12, 0x40]), seed, publicKey]))
}

export const SPACE: CID = cidOf(encode({ test: 'ledger space' }))

/** Signs entries as the log would append them: per-author seq and prev in one space. */
export class LedgerBuilder {
  readonly entries: SignedEntry[] = []
  private readonly heads = new Map<string, { seq: number, prev: CID }>()

  constructor (readonly space: CID = SPACE) {}

  add<B> (who: Identity, type: string, body: B, ts: number | Stamp, refs: SignedEntry[] = []): SignedEntry<B> {
    const head = this.heads.get(who.id)
    const fields = {
      v: 1 as const,
      space: this.space,
      author: who.id,
      seq: (head?.seq ?? 0) + 1,
      prev: head?.prev ?? null,
      ts: typeof ts === 'number' ? [ts, 0] as const : ts,
      type,
      body,
      ...(refs.length > 0 ? { refs: refs.map((r) => r.id) } : {})
    }
    const signed = signEntry(who, fields)
    this.heads.set(who.id, { seq: fields.seq, prev: signed.id })
    this.entries.push(signed as SignedEntry)
    return signed
  }
}

export interface Grant {
  role: Role
  /** wall ms from which the role holds (inclusive); always when absent */
  from?: number
  /** wall ms at which it ends (exclusive) */
  until?: number
}

/** A map of roles with optional validity windows judged by the point's stamp, and of agents' operators. */
export function mapParticipants (grants: Record<string, Array<Role | Grant>>, operators: Record<string, string> = {}): Participants {
  return {
    roles (id: string, at: Point): Role[] {
      return (grants[id] ?? [])
        .map((g) => typeof g === 'string' ? { role: g } : g)
        .filter((g) => (g.from === undefined || at.ts[0] >= g.from) && (g.until === undefined || at.ts[0] < g.until))
        .map((g) => g.role)
    },
    operatorOf (agent: string): string | undefined {
      return operators[agent]
    }
  }
}

export function policy (overrides: Partial<ValuationPolicy> = {}): ValuationPolicy {
  return {
    version: 1,
    period: 'month',
    weights: { effort: 3000, quality: 3000, satisfaction: 1500, endorsement: 1000, allocation: 1500 },
    minAttestations: 1,
    allocationBudget: 100,
    agentShare: 'operator',
    ...overrides
  }
}

export function recordBody (overrides: Record<string, unknown> = {}): any {
  return { kind: 'work', effort: 100, summary: 'did the work', evidence: [], period: PERIOD, ...overrides }
}

export function attestBody (contribution: SignedEntry, quality = 4, verdict: 'accept' | 'reject' = 'accept'): any {
  return { contribution: contribution.id, verdict, quality, note: '' }
}

export const sum = (xs: Array<{ ppm: number }>): number => xs.reduce((total, x) => total + x.ppm, 0)
