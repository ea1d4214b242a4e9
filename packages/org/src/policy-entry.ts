import type { SignedEntry } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import { isEntry } from './entries.js'
import { OrgError } from './errors.js'
import { SPACE_POLICY, type SpacePolicyBody } from './grant-records.js'

/**
 * The grant policy of a space: the `space/policy` its creator writes right after the genesis
 * (`createGrantedSpace`), so seq 2 of the creator's log; undefined for a space without grants.
 */
export async function policyEntry (log: Log, space: string): Promise<SignedEntry<SpacePolicyBody> | undefined> {
  const genesis = log.genesis(space)
  if (genesis === undefined) throw new OrgError(`no space ${space} here`)
  const policy = await log.get(space, genesis.entry.author, 2)
  return policy !== undefined && isEntry<SpacePolicyBody>(policy, SPACE_POLICY) ? policy : undefined
}
