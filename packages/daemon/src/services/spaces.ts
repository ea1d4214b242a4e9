import { randomBytes } from 'node:crypto'
import { GENESIS_TYPE, parseCid, type Identity } from '@mutual/protocol'
import { UnknownSpaceError, vectorSize, type Log } from '@mutual/log'
import type { MutualNode } from '@mutual/node'
import type { Entry, SpaceSummary, SpaceVector } from '../contract/index.js'
import { InvalidRequestError } from '../errors.js'
import { entryToJson, fromJson } from './json.js'

export interface SpacesInit {
  log: Log
  node: MutualNode
  identity: Identity
}

/**
 * Raw spaces. The node publishes every entry this identity appends (it listens to the log), so
 * writing is appending.
 */
export class SpaceService {
  private readonly init: SpacesInit

  constructor (init: SpacesInit) {
    this.init = init
  }

  async create (request: { name: string, writers?: string[], open?: boolean }): Promise<{ space: string, genesis: Entry }> {
    const { log, node, identity } = this.init
    const genesis = await log.createSpace(identity, {
      kind: 'raw',
      name: request.name,
      policy: { write: request.open === true ? 'anyone' : 'listed', writers: request.writers ?? [] },
      encrypted: false,
      nonce: randomBytes(16)
    })
    await node.join(genesis.space)
    return { space: genesis.space, genesis: entryToJson(genesis) }
  }

  list (): SpaceSummary[] {
    const { log } = this.init
    return log.spaces().sort().flatMap((space) => {
      const genesis = log.genesis(space)
      if (genesis === undefined) return []
      const vector = log.vector(space)
      const { body } = genesis.entry
      return [{ space, name: body.name, kind: body.kind, owner: genesis.entry.author, authors: Object.keys(vector).length, entries: vectorSize(vector) }]
    })
  }

  /** Replicates a space, held here or not: subscribes to it and asks peers for it. */
  async join (space: string): Promise<{ space: string }> {
    if (parseCid(space) === undefined) throw new InvalidRequestError(`"${space.slice(0, 128)}" is not a space id`)
    await this.init.node.join(space)
    return { space }
  }

  async append (space: string, type: string, body: unknown): Promise<Entry> {
    this.held(space)
    if (type === GENESIS_TYPE) throw new InvalidRequestError(`a ${GENESIS_TYPE} starts a space: POST /api/v1/spaces`)
    return entryToJson(await this.init.log.append(this.init.identity, space, type, fromJson(body)))
  }

  /** One author's entries from a seq, or every author's (by author, then seq), at most `limit`. */
  async entries (space: string, query: { author?: string, from?: number, limit?: number }): Promise<Entry[]> {
    const { log } = this.init
    this.held(space)
    const { author, from = 1, limit = 100 } = query
    const authors = author !== undefined ? [author] : Object.keys(log.vector(space)).sort()
    const entries: Entry[] = []
    for (const a of authors) {
      for await (const entry of log.entries(space, a, from, from + limit - entries.length - 1)) entries.push(entryToJson(entry))
      if (entries.length >= limit) break
    }
    return entries
  }

  vector (space: string): SpaceVector {
    this.held(space)
    return { space, vector: this.init.log.vector(space) }
  }

  private held (space: string): void {
    if (this.init.log.genesis(space) === undefined) throw new UnknownSpaceError(`no space ${space.slice(0, 128)} here (follow it with \`mutual space join <id>\`, or redeem an invite with \`mutual join <ticket>\`)`)
  }
}
