import type { Identity, SignedEntry } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import { spaceEntriesOf } from '../actions.js'
import { OrgError } from '../errors.js'
import { SPACE_KEY, type SpaceKeyBody } from './records.js'
import { openKey, sealKey } from './seal.js'
import { newEpoch } from './keyring.js'

/** The readers each epoch's key is sealed to, from a space's `space/key` entries by its creator. */
function sealedByEpoch (entries: SignedEntry[], creator: string): Map<number, Map<string, Uint8Array>> {
  const epochs = new Map<number, Map<string, Uint8Array>>()
  for (const e of entries) {
    if (e.entry.type !== SPACE_KEY || e.entry.author !== creator) continue
    const body = e.entry.body as SpaceKeyBody
    const sealed = epochs.get(body.epoch) ?? new Map<string, Uint8Array>()
    for (const s of body.sealed) sealed.set(s.reader, s.box)
    epochs.set(body.epoch, sealed)
  }
  return epochs
}

/**
 * Brings a space's keys in line with its readers, as its creator (`identity`): with no key yet,
 * a first epoch sealed to every reader; when someone the newest key was sealed to is no longer
 * a reader, a new epoch sealed to the readers who remain, so what follows is closed to them;
 * when there are new readers only, the newest key sealed to them. The creator is always a
 * reader (it reopens its own key after a restart). Returns the entry written, if one was needed.
 */
export async function reconcileSpaceKey (log: Log, identity: Identity, space: string, readers: Iterable<string>): Promise<SignedEntry<SpaceKeyBody> | undefined> {
  const genesis = log.genesis(space)
  if (genesis === undefined) throw new OrgError(`no space ${space} here`)
  if (genesis.entry.author !== identity.id) throw new OrgError(`only the creator of ${space} writes its keys`)
  const wanted = new Set([identity.id, ...readers])
  await log.flush() // spaceEntries reads the store: let what was accepted land first
  const epochs = sealedByEpoch(await spaceEntriesOf(log, space), identity.id)
  const latest = epochs.size === 0 ? undefined : Math.max(...epochs.keys())
  const sealed = latest === undefined ? undefined : epochs.get(latest)
  let body: SpaceKeyBody
  if (latest === undefined || sealed === undefined || [...sealed.keys()].some((r) => !wanted.has(r))) {
    body = newEpoch(space, latest === undefined ? 0 : latest + 1, wanted).body
  } else {
    const added = [...wanted].filter((r) => !sealed.has(r)).sort()
    if (added.length === 0) return undefined
    const mine = sealed.get(identity.id)
    if (mine === undefined) throw new OrgError(`the key of epoch ${latest} in ${space} is not sealed to its creator`)
    const key = openKey(mine, identity, { space, epoch: latest })
    body = { epoch: latest, sealed: added.map((reader) => ({ reader, box: sealKey(key, reader, { space, epoch: latest }) })) }
  }
  return await log.append(identity, space, SPACE_KEY, body)
}
