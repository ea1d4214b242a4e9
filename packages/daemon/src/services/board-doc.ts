import { applyTextUpdate, replicaDiff } from '@mutual/board'
import type { BoardDocState } from '../contract/index.js'
import { InvalidRequestError } from '../errors.js'
import type { Boards } from './board-replicas.js'

function bytes (text: string, field: string): Uint8Array {
  const out = Buffer.from(text, /[-_]/.test(text) ? 'base64url' : 'base64')
  if (out.byteLength === 0 && text.length > 0) throw new InvalidRequestError(`${field}: not base64`)
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
}

const base64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64')

/**
 * A web page's live replica of a board (DESIGN §6, web UI): the page takes what it lacks from
 * here, by its state vector, and sends its description edits back; `applyTextUpdate` refuses an
 * update that changes more than task descriptions and signs the rest as this node's entry, so
 * the browser holds no key.
 */
export class BoardDocService {
  private readonly replicas: Boards

  constructor (init: { replicas: Boards }) {
    this.replicas = init.replicas
  }

  async diff (board: string, since: string | undefined): Promise<BoardDocState> {
    const replica = await this.replicas.open(board)
    const diff = replicaDiff(replica, since === undefined || since === '' ? undefined : bytes(since, 'since'))
    return { update: base64(diff.update), vector: base64(diff.vector) }
  }

  async apply (board: string, update: string): Promise<{ applied: true }> {
    const replica = await this.replicas.open(board)
    await this.replicas.assertWritable(replica)
    await applyTextUpdate(replica, bytes(update, 'update'))
    return { applied: true }
  }
}
