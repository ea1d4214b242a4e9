import { cidString } from '@mutual/protocol'
import { byTime, type Item } from './collect.js'
import type { DisputeLine, IgnoreReason } from './distribution.js'
import { sameParty, type Participants } from './participants.js'
import type { ContribRecordBody, DisputeOpenBody, DisputeResolveBody } from './records.js'

export interface DisputeInput {
  opens: Array<Item<DisputeOpenBody>>
  resolves: Array<Item<DisputeResolveBody>>
  records: Map<string, Item<ContribRecordBody>>
  participants: Participants
  isFrozen: (id: string) => boolean
  ignore: (item: Item<unknown>, reason: IgnoreReason) => void
}

/**
 * Decides every dispute and returns the ids of the contributions voided. Per dispute, its
 * resolutions are read earliest first (by stamp, then id); the first one that completes a
 * decision decides, and later ones are ignored (`after-decision`). A decision is one auditor's
 * resolution, or resolutions with the same outcome and void flag by an admin and a union
 * representative who are two different identities (each may come first). A resolution counts
 * only from an identity holding auditor, admin or union-rep at its point, never from the disputed
 * contribution's author's party. A contribution is voided when any of its disputes is decided
 * `upheld` with `void`.
 */
export function decideDisputes (input: DisputeInput, lines: DisputeLine[]): Set<string> {
  const { participants, isFrozen, ignore } = input
  const voided = new Set<string>()
  const resolvesOf = new Map<string, Array<Item<DisputeResolveBody>>>()
  for (const r of input.resolves) {
    const key = cidString(r.body.dispute)
    resolvesOf.set(key, [...(resolvesOf.get(key) ?? []), r])
  }
  for (const open of input.opens) {
    const target = input.records.get(cidString(open.body.target))
    if (target === undefined) continue
    const resolutions = (resolvesOf.get(open.id) ?? []).sort(byTime)
    if (isFrozen(open.author)) {
      ignore(open, 'frozen-author')
      for (const r of resolutions) ignore(r, 'frozen-author')
      continue
    }
    const line: DisputeLine = { id: open.id, target: target.id, opener: open.author, status: 'open', void: false, decidedBy: [] }
    // For each (outcome, void) pair: the admins and union representatives who resolved so, by entry.
    const sides = new Map<string, { admins: Map<string, string>, reps: Map<string, string> }>()
    for (const r of resolutions) {
      if (isFrozen(r.author)) { ignore(r, 'frozen-author'); continue }
      if (line.status !== 'open') { ignore(r, 'after-decision'); continue }
      if (sameParty(participants, r.author, target.author)) { ignore(r, 'self-resolution'); continue }
      const roles = participants.roles(r.author, r.at)
      const isVoid = r.body.void === true
      if (roles.includes('auditor')) {
        decide(line, r.body.outcome, isVoid, [r.id])
        continue
      }
      const admin = roles.includes('admin')
      const rep = roles.includes('union-rep')
      if (!admin && !rep) { ignore(r, 'not-resolver'); continue }
      const key = `${r.body.outcome}/${String(isVoid)}`
      const side = sides.get(key) ?? { admins: new Map<string, string>(), reps: new Map<string, string>() }
      sides.set(key, side)
      if (admin && !side.admins.has(r.author)) side.admins.set(r.author, r.id)
      if (rep && !side.reps.has(r.author)) side.reps.set(r.author, r.id)
      const pair = pairOf(side.admins, side.reps)
      if (pair !== undefined) decide(line, r.body.outcome, isVoid, pair)
    }
    if (line.status === 'upheld' && line.void) voided.add(target.id)
    lines.push(line)
  }
  return voided
}

function decide (line: DisputeLine, outcome: 'upheld' | 'dismissed', isVoid: boolean, by: string[]): void {
  line.status = outcome
  line.void = outcome === 'upheld' && isVoid
  line.decidedBy = [...by].sort()
}

/** Entry ids of an admin and a union representative who are different identities, if there are such. */
function pairOf (admins: Map<string, string>, reps: Map<string, string>): string[] | undefined {
  const sorted = (m: Map<string, string>): Array<[string, string]> => [...m].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
  for (const [admin, adminEntry] of sorted(admins)) {
    for (const [rep, repEntry] of sorted(reps)) {
      if (admin !== rep) return [adminEntry, repEntry]
    }
  }
  return undefined
}
