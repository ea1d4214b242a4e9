/**
 * @packageDocumentation
 * Mutual's protocol core, pure and without I/O: Ed25519 identities named by libp2p PeerIds,
 * canonical DAG-CBOR encoding and CIDs, the signed entry, the hybrid logical clock, record types
 * and stateless validation with named errors.
 */
export { CID, encode, decode, cidOf, cidString, parseCid, bytesEqual } from './encoding.js'
export { type Stamp, type HybridClockInit, HybridClock, compareStamps, isStamp } from './clock.js'
export {
  type Identity, type IdentityKind, generateIdentity, identityFromPrivateKey, exportIdentity, importIdentity,
  Verifier, publicKeyOf, isIdentityId, identityIdFromPublicKey
} from './identity.js'
export {
  type UnsignedEntry, type Entry, type SignedEntry, ENTRY_VERSION, ENTRY_SIGNATURE_DOMAIN, signEntry, signingBytes,
  unsignedFields
} from './entry.js'
export {
  type RecordType, type GenesisBody, type NoteBody, type SpaceKind, RecordRegistry, schemas, baseRecordTypes,
  genesisBodySchema, spacePolicySchema, noteBodySchema, GENESIS_TYPE, NOTE_TYPE, SPACE_KINDS
} from './records.js'
export {
  PROFILE_TYPE, PROFILE_VERSION, PROFILE_KINDS, MAX_PROFILE_NAME, MAX_PROFILE_DESCRIPTION, type ProfileKind, type ProfileBody,
  type ProfileRecord, profileBodySchema, profileRecordType, compareProfiles
} from './profile.js'
export { type ValidateInit, type CheckedEntry, validateEntry, checkEntry, verifyChecked, MAX_ENTRY_BYTES, DEFAULT_MAX_SKEW_MS } from './validate.js'
export * from './errors.js'
export {
  ROLES, CREDENTIAL_ROLES, type Role, type Point, MAX_TASK_ID, CONTRIB_RECORD, CONTRIB_ATTEST, CONTRIB_FEEDBACK,
  CONTRIB_ENDORSE, CONTRIB_ALLOCATE, DISPUTE_OPEN, DISPUTE_RESOLVE, SETTLEMENT, ORG_APPROVE
} from './vocabulary.js'
