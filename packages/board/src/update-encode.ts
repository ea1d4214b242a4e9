import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { structSection } from './update-check.js'

export type DeleteSet = Y.Transaction['deleteSet']

/** A delete set in Yjs's v1 encoding, clients in descending order as Yjs writes them. */
export function encodeDeleteSet (ds: DeleteSet): Uint8Array {
  const encoder = encoding.createEncoder()
  const clients = [...ds.clients.entries()].filter(([, items]) => items.length > 0).sort((a, b) => b[0] - a[0])
  encoding.writeVarUint(encoder, clients.length)
  for (const [client, items] of clients) {
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, items.length)
    for (const item of items) {
      encoding.writeVarUint(encoder, item.clock)
      encoding.writeVarUint(encoder, item.len)
    }
  }
  return encoding.toUint8Array(encoder)
}

/**
 * The update that carries this replica's own changes since `sinceClock`: the structs `client`
 * created from there, and the deletions its transactions made. Encoded from the document, never
 * by merging the per-transaction updates (`Y.mergeUpdates` over many small updates is
 * pathologically slow). Yjs's `encodeStateAsUpdate` always appends the whole document's delete
 * set; that section is replaced by the window's, so an entry's size follows the edit, not the
 * board's age. Returns undefined when there is nothing to send.
 */
export function encodeLocalChanges (doc: Y.Doc, client: number, sinceClock: number, deletes: DeleteSet[]): Uint8Array | undefined {
  const target = Y.decodeStateVector(Y.encodeStateVector(doc))
  target.set(client, sinceClock)
  const full = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(target))
  const { structs, structsEnd } = structSection(full)
  const ds = Y.mergeDeleteSets(deletes)
  let ranges = 0
  for (const items of ds.clients.values()) ranges += items.length
  if (structs === 0 && ranges === 0) return undefined
  const tail = encodeDeleteSet(ds)
  const out = new Uint8Array(structsEnd + tail.byteLength)
  out.set(full.subarray(0, structsEnd), 0)
  out.set(tail, structsEnd)
  return out
}
