import * as Y from 'yjs'
import { ROOTS } from './board.js'
import { InvalidUpdateError, TextOnlyUpdateError } from './errors.js'
import type { BoardReplica } from './replica.js'
import { checkUpdate } from './update-check.js'

/** The largest update a page may send at once: a burst of typing, not a document. */
export const MAX_TEXT_UPDATE_BYTES = 64 * 1024

/**
 * Whether a changed type is a task's description: a Y.Text under the key `description` of a
 * task map that sits in the root `tasks` map.
 */
function isDescription (type: Y.AbstractType<any>, tasks: Y.Map<unknown>): boolean {
  const item = type._item
  if (!(type instanceof Y.Text) || item === null || item.parentSub !== 'description') return false
  const task = item.parent as Y.AbstractType<any>
  return task instanceof Y.Map && task._item !== null && task._item.parent === tasks
}

/**
 * Checks that a Yjs update from a web page changes task descriptions only (the one thing a page
 * edits as a live replica; every other change goes through the API's board methods and their
 * rules), then signs it as this node's `board/update` entry, which the replica takes in. The check runs on a copy of the document, so a refused update
 * changes nothing. An update that needs structs this node does not have yet is refused too: the
 * page sends it again once it has caught up.
 */
export async function applyTextUpdate (replica: BoardReplica, update: Uint8Array): Promise<void> {
  checkUpdate(update, MAX_TEXT_UPDATE_BYTES)
  const probe = new Y.Doc()
  try {
    Y.applyUpdate(probe, Y.encodeStateAsUpdate(replica.doc))
    const tasks = probe.getMap(ROOTS.tasks)
    let refused: string | undefined
    probe.on('afterTransaction', (tr: Y.Transaction) => {
      for (const type of tr.changed.keys()) {
        if (!isDescription(type, tasks)) refused ??= 'an update from a page may change task descriptions only'
      }
    })
    try {
      Y.applyUpdate(probe, update)
    } catch (err) {
      throw new InvalidUpdateError(`the update does not apply: ${(err as Error).message}`, { cause: err })
    }
    if (probe.store.pendingStructs !== null || probe.store.pendingDs !== null) refused ??= 'the update depends on changes this node does not have yet'
    if (refused !== undefined) throw new TextOnlyUpdateError(refused)
  } finally {
    probe.destroy()
  }
  await replica.appendUpdate(update)
}

/**
 * What a page's replica lacks: the update from its state vector (the whole document without
 * one), and the replica's own state vector to ask from next time.
 */
export function replicaDiff (replica: BoardReplica, since?: Uint8Array): { update: Uint8Array, vector: Uint8Array } {
  let update: Uint8Array
  try {
    update = Y.encodeStateAsUpdate(replica.doc, since)
  } catch (err) {
    throw new InvalidUpdateError('not a Yjs state vector', { cause: err })
  }
  return { update, vector: Y.encodeStateVector(replica.doc) }
}
