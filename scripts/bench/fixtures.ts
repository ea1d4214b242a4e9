import { spawnSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { BoardReplica, boardAuthorizer, boardRecordTypes, createBoard } from '@mutual/board'
import { Log, levelStore, memoryStore } from '@mutual/log'
import {
  RecordRegistry, baseRecordTypes, decode, generateIdentity, importIdentity, signingBytes, unsignedFields, type Entry,
  type GenesisBody, type Identity, type SignedEntry
} from '@mutual/protocol'
import { pool } from './lib.ts'

/** A note body of about `size` characters; entries with it encode to about size + 280 bytes. */
export function noteBody (i: number, size = 120): { text: string } {
  const text = `note ${i} `
  return { text: text + 'x'.repeat(Math.max(0, size - text.length)) }
}

export function genesisBody (writers: Identity[]): GenesisBody {
  return {
    kind: 'raw',
    name: 'bench space',
    policy: { write: 'listed', writers: writers.map((w) => w.id) },
    encrypted: false,
    nonce: crypto.getRandomValues(new Uint8Array(16))
  }
}

export interface SignedFixture {
  authors: Identity[]
  space: string
  /** genesis first, then the authors' entries round-robin, each author's in seq order */
  entries: Uint8Array[]
}

/**
 * `count` signed entries (the genesis included) by `authorCount` authors in one space, made by
 * appending to an in-memory log. The order is what a peer would gossip: no entry before its
 * predecessor, so ingesting it never holds anything as pending.
 */
export async function signedEntries (count: number, authorCount: number): Promise<SignedFixture> {
  const authors = await Promise.all(Array.from({ length: authorCount }, async () => await generateIdentity()))
  const log = new Log({ store: memoryStore() })
  await log.start()
  const genesis = await log.createSpace(authors[0], genesisBody(authors))
  const perAuthor: SignedEntry[][] = authors.map(() => [])
  await pool(count - 1, 100, async (i) => {
    const a = i % authorCount
    perAuthor[a].push(await log.append(authors[a], genesis.space, 'space/note', noteBody(i)))
  })
  await log.stop()
  for (const list of perAuthor) list.sort((x, y) => x.entry.seq - y.entry.seq)
  const entries = [genesis.bytes]
  for (let i = 0; entries.length < count; i++) {
    for (const list of perAuthor) if (i < list.length) entries.push(list[i].bytes)
  }
  return { authors, space: genesis.space, entries }
}

/** What a plain signature check of an entry needs: its author, the signed message and the signature. */
export interface SignatureCase {
  author: string
  message: Uint8Array
  sig: Uint8Array
}

export function signatureCases (entries: Uint8Array[]): SignatureCase[] {
  return entries.map((bytes) => {
    const entry = decode<Entry>(bytes)
    return { author: entry.author, message: signingBytes(unsignedFields(entry)), sig: entry.sig }
  })
}

/**
 * A daemon's data directory (`mutual init` by `bin`) holding a board of `tasks` tasks, 10 per
 * entry, written as that daemon's identity, with its snapshot; and `notes` more entries (notes by
 * the daemon and 7 other authors, in 4 raw spaces), for a store of a given size.
 */
export async function boardHome (bin: string, home: string, tasks: number, notes = 0): Promise<void> {
  const init = spawnSync(process.execPath, [bin, 'init', '--home', home], { encoding: 'utf8' })
  if (init.status !== 0) throw new Error(`mutual init failed: ${init.stderr}`)
  const identity = importIdentity(await readFile(join(home, 'identity.key')))
  const log = new Log({
    store: levelStore({ path: join(home, 'db') }),
    registry: new RecordRegistry([...baseRecordTypes(), ...boardRecordTypes()]),
    authorizers: [boardAuthorizer()]
  })
  await log.start()
  const space = await createBoard(log, identity, { name: 'big board' })
  const replica = new BoardReplica({ log, space, identity, batchMs: 1_000_000 })
  await replica.start()
  for (let i = 0; i < tasks; i += 10) {
    replica.edit((b) => { for (let k = i; k < Math.min(tasks, i + 10); k++) b.addTask({ title: `task ${k}`, description: `what task ${k} is about`, estimate: 1 + (k % 8) }) })
    await replica.flush()
  }
  await replica.stop()
  if (notes > 0) {
    const authors = [identity, ...await Promise.all(Array.from({ length: 7 }, async () => await generateIdentity()))]
    const spaces: string[] = []
    for (let s = 0; s < 4; s++) spaces.push((await log.createSpace(identity, genesisBody(authors))).space)
    await pool(notes - spaces.length, 200, async (i) => {
      await log.append(authors[i % authors.length], spaces[Math.floor(i / authors.length) % spaces.length], 'space/note', noteBody(i))
    })
  }
  await log.stop()
}
