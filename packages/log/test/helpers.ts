import { generateIdentity, type GenesisBody, type Identity } from '@mutual/protocol'
import { Log, memoryStore, type EntryStore, type LogInit } from '@mutual/log'

export function genesisBody (overrides: Partial<GenesisBody> = {}): GenesisBody {
  return {
    kind: 'raw',
    name: 'test space',
    policy: { write: 'listed', writers: [] },
    encrypted: false,
    nonce: crypto.getRandomValues(new Uint8Array(16)),
    ...overrides
  }
}

export async function openLog (store: EntryStore = memoryStore(), init: Partial<LogInit> = {}): Promise<Log> {
  const log = new Log({ store, ...init })
  await log.start()
  return log
}

/** A log with one space created by `owner` and `n` notes appended by it. */
export async function logWithNotes (n: number, owner?: Identity): Promise<{ log: Log, owner: Identity, space: string }> {
  owner ??= await generateIdentity()
  const log = await openLog()
  const genesis = await log.createSpace(owner, genesisBody())
  for (let i = 0; i < n; i++) await log.append(owner, genesis.space, 'space/note', { text: `note ${i}` })
  return { log, owner, space: genesis.space }
}
