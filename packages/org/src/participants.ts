import { GENESIS_TYPE, type Point, type SignedEntry } from '@mutual/protocol'
import { cidText, idOf, isEntry, wallOf } from './entries.js'
import { ORG_APPROVE, ORG_CREDENTIAL, type ApproveBody, type CredentialBody } from './org-records.js'
import { cutoffFor, operatorOf, rolesOf, type EntryPoint, type OrgState } from './org-state.js'
import type { Role } from './roles.js'


/**
 * An organization's state in the shape the ledger asks of participants (its `Participants`):
 * roles at a point, an agent's operator, and whether a ref is a credential granting a role then
 * (a live org/credential of this org naming the member, not cut off at that point; for `admin`,
 * the org's genesis for its founder or the approval that enacted their addition).
 */
export function orgParticipants (state: OrgState): {
  roles: (id: string, at: Point) => readonly Role[]
  operatorOf: (agent: string) => string | undefined
  grants: (ref: SignedEntry, id: string, role: Role, at: Point) => boolean
} {
  return {
    roles: (id, at) => rolesOf(state, id, at as EntryPoint),
    operatorOf: (agent) => operatorOf(state, agent),
    grants: (ref, id, role, at) => {
      const bound = cutoffFor(state, id, at.space)
      if (bound !== undefined && at.seq > bound) return false
      if (ref.space !== state.org || !state.counted.has(idOf(ref))) return false
      if (role === 'admin') {
        if (ref.entry.type === GENESIS_TYPE) return ref.entry.author === id && state.founder === id
        if (!isEntry<ApproveBody>(ref, ORG_APPROVE)) return false
        const change = state.changes.find((c) => c.enactedBy === idOf(ref) && c.proposal === cidText(ref.entry.body.proposal))
        return change?.change.kind === 'admins' && change.change.add.includes(id)
      }
      if (!isEntry<CredentialBody>(ref, ORG_CREDENTIAL)) return false
      const c = ref.entry.body
      return c.member === id && c.roles.includes(role as never) && (c.expires === undefined || wallOf(at.ts) < c.expires)
    }
  }
}
