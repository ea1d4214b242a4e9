import { Log, memoryStore } from '@mutual/log'
import {
  decode, generateIdentity, signingBytes, unsignedFields, type Entry, type GenesisBody, type Identity,
  type SignedEntry
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
