/**
 * @packageDocumentation
 * Organizations, federations and the open task market over Mutual spaces, and encryption for
 * private spaces. Pure rules over signed entries plus a small stateful registry; no networking.
 *
 * - org spaces: credentials, revocations with log heads, agent delegations, threshold-approved
 *   changes to admins, value policy and threshold (`orgAuthorizer`, `orgState`, `rolesOf`);
 * - other spaces grant roles to organizations and federations by a `space/policy` entry
 *   (`grantAuthorizer`, `ROLE_WRITES`);
 * - federations of organizations, in force once each has accepted (`federationAuthorizer`);
 * - the market: announcements, applications, decisions, rate limits (`marketAuthorizer`, `marketView`);
 * - `OrgRegistry` keeps org state current from the log and freezes revoked authors' logs;
 * - private spaces: sealed space keys per epoch and encrypted bodies (`SpaceKeyring`, `rotate`).
 */
import type { RecordType } from '@mutual/protocol'
import type { Authorizer } from '@mutual/log'
import { orgRecordTypes } from './org-records.js'
import { grantRecordTypes } from './grant-records.js'
import { federationRecordTypes } from './federation-records.js'
import { marketRecordTypes } from './market/records.js'
import { encryptionRecordTypes } from './crypto/records.js'
import { orgAuthorizer } from './org-authorizer.js'
import { federationAuthorizer } from './federation.js'
import { grantAuthorizer } from './grant-authorizer.js'
import { marketAuthorizer, type RateLimits } from './market/authorizer.js'
import type { RoleWrites } from './roles.js'
import type { OrgSourceInit } from './source.js'

export * from './errors.js'
export { ROLES, CREDENTIAL_ROLES, ROLE_WRITES, type Role, type RoleWrites, extendRoleWrites, mayWriteType } from './roles.js'
export { type Heads, spaceIdSchema, headsSchema } from './schema.js'
export {
  ORG_CREDENTIAL, ORG_REVOKE, ORG_DELEGATE, ORG_PROPOSE, ORG_APPROVE, IDENTITY_KINDS, DEFAULT_THRESHOLD, MAX_POLICY_BYTES,
  type CredentialBody, type RevokeBody, type DelegateBody, type ProposeBody, type ApproveBody, type Change, type Threshold,
  credentialSchema, revokeSchema, delegateSchema, proposeSchema, approveSchema, changeSchema, thresholdSchema, orgRecordTypes
} from './org-records.js'
export { SPACE_POLICY, ORG_SPACE, type Grant, type SpacePolicyBody, type OrgSpaceBody, grantSchema, spacePolicySchema, orgSpaceSchema, grantRecordTypes } from './grant-records.js'
export { FEDERATION_CHARTER, FEDERATION_ACCEPT, type CharterBody, type AcceptBody, charterSchema, acceptSchema, federationRecordTypes } from './federation-records.js'
export {
  TASK_ANNOUNCE, TASK_APPLY, TASK_ACCEPT, TASK_DECLINE, type AnnounceBody, type ApplyBody, type DecisionBody, type MarketAcceptBody, type HandoverBody,
  announceSchema, applySchema, decisionSchema, marketAcceptSchema, handoverSchema, marketRecordTypes
} from './market/records.js'
export { type Handover, handoverOf, handoverIn, boardAdminOf, boardAdminRefs } from './market/handover.js'
export { ENCRYPTED, SPACE_KEY, SEALED_KEY_BYTES, type SpaceKeyBody, type EncryptedBody, spaceKeySchema, encryptedSchema, encryptionRecordTypes } from './crypto/records.js'
export { compareEntries, canonical } from './entries.js'
export { type AdminProof, type Tally, adminProof, credentialsOf, contextThreshold, closureTally, meetsThreshold } from './evidence.js'
export {
  type OrgState, type CredentialInfo, type MemberInfo, type AdminInfo, type Delegation, type ApprovalInfo, type ProposalInfo,
  type EnactedChange, type PolicyVersion, type Cutoff, type EntryPoint,
  orgState, rolesOf, operatorOf, cutoffFor, currentAdmins
} from './org-state.js'
export { type OrgSource, type OrgSourceInit } from './source.js'
export { orgParticipants } from './participants.js'
export { type OrgAuthorizerInit, orgAuthorizer } from './org-authorizer.js'
export { type GrantAuthorizerInit, grantAuthorizer, policyIn, grantsIn, administersGrantedSpace } from './grant-authorizer.js'
export {
  type FederationAuthorizerInit, type FederationState, federationAuthorizer, federationState, federationInForce, federationOrgsIn
} from './federation.js'
export { type MarketAuthorizerInit, type RateLimits, DEFAULT_RATE_LIMITS, marketAuthorizer } from './market/authorizer.js'
export { type AnnouncementView, type ApplicationView, type DecisionView, marketView } from './market/view.js'
export { type OrgRegistryInit, OrgRegistry } from './registry.js'
export { revocationHeads } from './revocation.js'
export {
  spaceEntriesOf, loadOrgState, adminRefsOf, newestCredential, createOrg, issueCredential, revokeCredential, delegateAgent,
  proposeChange, approveProposal, createFederation, acceptFederation, createGrantedSpace, grantRefs
} from './actions.js'
export { SPACE_KEY_BYTES, type SealContext, generateSpaceKey, sealKey, openKey } from './crypto/seal.js'
export { type EntryPosition, type InnerRecord, encryptBody, decryptBody } from './crypto/body.js'
export { SpaceKeyring, newEpoch, rotate, appendEncrypted } from './crypto/keyring.js'
export { reconcileSpaceKey } from './crypto/space-keys.js'
export { type ReaderSource, grantedReaders, mayReadGranted } from './crypto/readers.js'

/** Every record type of this package: org, space policy, federation, market and encryption. */
export function orgPackageRecordTypes (): Array<RecordType<any>> {
  return [...orgRecordTypes(), ...grantRecordTypes(), ...federationRecordTypes(), ...marketRecordTypes(), ...encryptionRecordTypes()]
}

export interface OrgAuthorizersInit {
  /** the node's OrgRegistry, or a getter for it (it is made after the log) */
  orgs: OrgSourceInit
  /** the rule for writers no grant admits; the genesis policy by default (a board passes boardAuthorizer()) */
  fallback?: Authorizer
  roleWrites?: RoleWrites
  limits?: RateLimits
}

/**
 * The authorizers of this package, for `new Log({ authorizers })` in place of the genesis policy:
 * each decides the spaces it governs and refuses its records elsewhere.
 */
export function orgAuthorizers (init: OrgAuthorizersInit): Authorizer[] {
  const grant: Parameters<typeof grantAuthorizer>[0] = { orgs: init.orgs }
  if (init.fallback !== undefined) grant.fallback = init.fallback
  if (init.roleWrites !== undefined) grant.roleWrites = init.roleWrites
  const market: Parameters<typeof marketAuthorizer>[0] = { orgs: init.orgs }
  if (init.limits !== undefined) market.limits = init.limits
  return [orgAuthorizer({ orgs: init.orgs }), federationAuthorizer({ orgs: init.orgs }), grantAuthorizer(grant), marketAuthorizer(market)]
}
export { mayReadSpace, mayGossipSpace, grantingOrg } from './read-access.js'
export { policyEntry } from './policy-entry.js'
export { roleRefs, announceSpace, type RoleRefsInit } from './write-refs.js'
