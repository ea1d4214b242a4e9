import type { EntryCodec } from '@mutual/board'
import { ProtocolError, type Identity, type SignedEntry } from '@mutual/protocol'
import type { Log } from '@mutual/log'
import type { InboxItem, InboxKind } from '../contract/index.js'
import { InvalidRequestError, UnknownInboxItemError } from '../errors.js'
import type { Boards } from './board-replicas.js'
import { InboxIndex } from './inbox/fold.js'
import { mentionedIds, type Person } from './inbox/mentions.js'
import { itemText, mentionFact, type InboxFact } from './inbox/rules.js'

/** Meta key prefix of read marks, versioned (STYLE.md §8); local to this node, never replicated. */
const READ_PREFIX = 'inbox/1/read/'
/** A space key entry may open entries held back for want of it. */
const SPACE_KEY = 'space/key'
/** A board's comments are read again this long after its last change (a burst of edits, one scan). */
const MENTION_SCAN_MS = 100

export interface InboxServiceInit {
  log: Log
  identity: Identity
  replicas: Boards
  /** names for ids, and the people this node knows by name (for @mentions) */
  names: { names: (ids: readonly string[]) => Record<string, { name: string }>, people: () => Person[] }
  /** how an encrypted space's entries are read (undefined: in clear) */
  codec: (space: string) => EntryCodec | undefined
  /** an item that arrived (not at start-up) */
  onItem?: (item: InboxItem, unread: number) => void
  onError?: (err: Error) => void
}

export interface InboxQuery {
  unread?: boolean
  kinds?: readonly InboxKind[]
  limit?: number
}

/**
 * The inbox of this node's person: an `InboxIndex` fed every entry the log takes in (opened
 * through the space's codec where it is encrypted) and each board's comments when the board
 * changes. The log is read once, at start; after that only new entries are folded in. Read
 * marks live in the log's meta (this node only).
 */
export class InboxService {
  private readonly init: InboxServiceInit
  private readonly index: InboxIndex
  private readonly read = new Set<string>()
  /** entries of encrypted spaces whose key has not arrived, by space */
  private readonly locked = new Map<string, SignedEntry[]>()
  private readonly scans = new Map<string, ReturnType<typeof setTimeout>>()
  private unsubscribe: (() => void) | undefined
  private started = false

  constructor (init: InboxServiceInit) {
    this.init = init
    this.index = new InboxIndex(init.identity.id)
  }

  async start (): Promise<void> {
    const { log } = this.init
    for await (const [key] of log.metaPrefix(READ_PREFIX)) this.read.add(key.slice(READ_PREFIX.length))
    // Subscribe before the scan: an entry that lands meanwhile is folded twice, which the index allows.
    this.unsubscribe = log.subscribe((event) => { if (event.type === 'entry') this.take(event.entry) })
    await log.flush()
    for (const space of log.spaces()) {
      for await (const entry of log.spaceEntries(space)) this.take(entry)
    }
    for (const replica of this.init.replicas.list()) this.scanMentions(replica.space)
    this.started = true
  }

  stop (): void {
    this.unsubscribe?.()
    for (const timer of this.scans.values()) clearTimeout(timer)
    this.scans.clear()
  }

  /** A board's document changed: its comments are read again shortly. */
  boardChanged (board: string): void {
    if (this.scans.has(board) || this.unsubscribe === undefined) return
    const timer = setTimeout(() => {
      this.scans.delete(board)
      this.scanMentions(board)
    }, MENTION_SCAN_MS)
    timer.unref()
    this.scans.set(board, timer)
  }

  list (query: InboxQuery = {}): { items: InboxItem[], unread: number, total: number } {
    const kinds = query.kinds === undefined ? undefined : new Set(query.kinds)
    const facts = this.index.list().filter((f) => (kinds === undefined || kinds.has(f.kind)) && (query.unread !== true || !this.read.has(f.id)))
    return { items: this.present(facts.slice(0, query.limit ?? 100)), ...this.count() }
  }

  count (): { unread: number, total: number } {
    let unread = 0
    for (const fact of this.index.list()) if (!this.read.has(fact.id)) unread++
    return { unread, total: this.index.size }
  }

  /** Marks items read; an id not in the inbox marks none (UnknownInboxItemError). */
  async markRead (request: { ids: string[] } | { all: true }): Promise<{ marked: string[], unread: number }> {
    let ids: string[]
    if ('all' in request) {
      ids = this.index.list().map((f) => f.id)
    } else {
      const unknown = request.ids.filter((id) => this.index.get(id) === undefined)
      if (unknown.length > 0) throw new UnknownInboxItemError(`no inbox item ${unknown.slice(0, 5).map((id) => id.slice(0, 64)).join(', ')} here (\`mutual inbox\` lists them)`)
      ids = [...new Set(request.ids)]
    }
    if (ids.length === 0 && !('all' in request)) throw new InvalidRequestError('name the items to mark read, or all')
    const marked = ids.filter((id) => !this.read.has(id))
    for (const id of marked) {
      await this.init.log.putMeta(READ_PREFIX + id, new Uint8Array([1]))
      this.read.add(id)
    }
    return { marked, unread: this.count().unread }
  }

  private take (stored: SignedEntry): void {
    const space = stored.space
    if (stored.entry.type === SPACE_KEY) this.unlock(space)
    let entry: SignedEntry | undefined = stored
    const codec = this.init.codec(space)
    if (codec !== undefined) {
      try {
        entry = codec.open(stored)
      } catch (err) {
        // It will never open (tampered, or not a valid record inside): it says nothing to anyone.
        if (!(err instanceof ProtocolError)) throw err
        return
      }
      if (entry === undefined) {
        const list = this.locked.get(space) ?? []
        list.push(stored)
        this.locked.set(space, list)
        return
      }
    }
    this.arrived(this.index.add(entry))
  }

  private unlock (space: string): void {
    const list = this.locked.get(space)
    if (list === undefined) return
    this.locked.delete(space)
    for (const entry of list) this.take(entry)
  }

  private scanMentions (board: string): void {
    const replica = this.init.replicas.list().find((r) => r.space === board)
    if (replica === undefined) return
    const me = this.init.identity.id
    let people: Person[] | undefined
    const facts: InboxFact[] = []
    for (const task of replica.board.tasks()) {
      for (const comment of task.comments) {
        if (comment.author === me || !comment.text.includes('@')) continue
        people ??= this.init.names.people()
        if (mentionedIds(comment.text, people).includes(me)) facts.push(mentionFact(board, task.id, comment))
      }
    }
    this.arrived(this.index.replaceGroup(`mentions/${board}`, facts))
  }

  private arrived (facts: InboxFact[]): void {
    if (!this.started || facts.length === 0 || this.init.onItem === undefined) return
    const unread = this.count().unread
    for (const item of this.present(facts)) {
      try {
        this.init.onItem(item, unread)
      } catch (err) {
        this.init.onError?.(err as Error)
      }
    }
  }

  /** Items for an answer: with the actor's name, the task's title, the one-line text and read state. */
  private present (facts: readonly InboxFact[]): InboxItem[] {
    const names = this.init.names.names([...new Set(facts.map((f) => f.actor))])
    const replicas = new Map(this.init.replicas.list().map((r) => [r.space, r]))
    return facts.map((f) => {
      const name = names[f.actor]?.name ?? ''
      const title = f.board === undefined || f.task === undefined ? undefined : replicas.get(f.board)?.board.task(f.task)?.title
      const item: InboxItem = {
        id: f.id,
        kind: f.kind,
        at: new Date(f.ts[0]).toISOString(),
        space: f.space,
        actor: { id: f.actor, name },
        text: itemText(f, name === '' ? shortId(f.actor) : name, title),
        read: this.read.has(f.id)
      }
      for (const key of ['board', 'task', 'contribution', 'entry', 'comment'] as const) {
        if (f[key] !== undefined) item[key] = f[key]
      }
      return item
    })
  }
}

/** `12D3KooWabcd…wxyz`, as the CLI shortens ids in tables. */
function shortId (id: string): string {
  return id.length > 20 ? `${id.slice(0, 12)}…${id.slice(-4)}` : id
}
