import * as Y from 'yjs'
import type { Identity } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import { Board } from './board.js'
import { BOARD_UPDATE } from './records.js'
import type { Workflow } from './workflow.js'

export interface CreateBoardOptions {
  name: string
  /** defaults to todo → doing → review → done */
  workflow?: Workflow
  /** identities that may write without a grant */
  writers?: string[]
  /**
   * Makes the space instead of a plain board genesis: a space whose writers an organization
   * grants, say (its genesis must be of kind board). The board's first update follows it.
   */
  space?: () => Promise<{ space: string }>
  /**
   * an encrypted board: its genesis is named only "private" (genesis bodies are public) and says
   * its bodies are encrypted, and the first update (its real name and workflow) goes through
   * `append`, which seals it. With `space`, that function makes an encrypted genesis itself.
   */
  encrypted?: { append: (space: string, type: string, body: unknown) => Promise<unknown> }
}

/**
 * Creates a board: a space of kind `board` written by its creator and the listed writers (others
 * need a `board/grant`), and its first update, which names it and sets its workflow. Returns the
 * space id.
 */
export async function createBoard (log: Log, identity: Identity, options: CreateBoardOptions): Promise<string> {
  const doc = new Y.Doc()
  new Board(doc, { author: identity.id }).initialize(options.name, options.workflow)
  const genesis = options.space !== undefined
    ? await options.space()
    : await log.createSpace(identity, {
      kind: 'board',
      name: options.encrypted === undefined ? options.name : 'private',
      policy: { write: 'listed', writers: [...(options.writers ?? [])] },
      encrypted: options.encrypted !== undefined,
      nonce: crypto.getRandomValues(new Uint8Array(16))
    })
  const first = { update: Y.encodeStateAsUpdate(doc) }
  doc.destroy()
  if (options.encrypted === undefined) await log.append(identity, genesis.space, BOARD_UPDATE, first)
  else await options.encrypted.append(genesis.space, BOARD_UPDATE, first)
  return genesis.space
}
