import type * as Y from 'yjs'
import { encodeLocalChanges, type DeleteSet } from './update-encode.js'

export interface EditBatcherInit {
  /** the document edits are made in */
  doc: Y.Doc
  /** a window closes this many ms after its first edit */
  batchMs: number
  /** writes one update as an entry; resolves once it is durable */
  send: (update: Uint8Array) => Promise<void>
  /** reports a window that could not be written (it is kept and retried) */
  onError: (error: Error) => void
}

/** Local edits of one client since a clock: what one `board/update` entry will carry. */
interface Window {
  client: number
  since: number
  deletes: DeleteSet[]
}

/**
 * Batches a document's local transactions into one update per short window (DESIGN §5). Each
 * window is encoded from the document when it closes (see `encodeLocalChanges`), and entries are
 * written one after another. A window whose entry fails (no grant yet, the log closed) is kept and
 * sent again with the next one.
 */
export class EditBatcher {
  private readonly init: EditBatcherInit
  private window: Window | undefined
  private timer: { cancel: () => void } | undefined
  private failed: Window[] = []
  private writing: Promise<void> = Promise.resolve()
  private error: Error | undefined
  private lastCut = -Infinity

  constructor (init: EditBatcherInit) {
    this.init = init
  }

  /** True while edits wait for their entry. */
  get pending (): boolean {
    return this.window !== undefined || this.failed.length > 0
  }

  /** Adds a local transaction to the open window, opening one if needed. */
  add (tr: Y.Transaction): void {
    const client = this.init.doc.clientID
    const before = tr.beforeState.get(client) ?? 0
    const created = (tr.afterState.get(client) ?? 0) > before
    if (!created && tr.deleteSet.clients.size === 0) return
    // Yjs takes a new client id when another writer uses its own; a window holds one client's structs.
    if (this.window !== undefined && this.window.client !== client) this.cut()
    this.window ??= { client, since: before, deletes: [] }
    this.window.deletes.push(tr.deleteSet)
    if (this.timer !== undefined) return
    // Leading edge: after a quiet spell the first edit goes out at the end of this tick (edits of
    // the same tick share it), so a lone change is not held back; edits that follow within the
    // window wait for its end and go out together.
    const quiet = performance.now() - this.lastCut >= this.init.batchMs
    if (quiet) {
      const immediate = setImmediate(() => { this.cut() })
      this.timer = { cancel: () => { clearImmediate(immediate) } }
    } else {
      const timeout = setTimeout(() => { this.cut() }, this.init.batchMs - (performance.now() - this.lastCut))
      this.timer = { cancel: () => { clearTimeout(timeout) } }
    }
  }

  /** Closes the window: encodes it now and queues its entry (and any failed before) behind earlier writes. */
  cut (): void {
    this.timer?.cancel()
    this.timer = undefined
    this.lastCut = performance.now()
    const windows = [...this.failed, ...(this.window === undefined ? [] : [this.window])]
    this.failed = []
    this.window = undefined
    for (const w of windows) {
      let update: Uint8Array | undefined
      try {
        update = encodeLocalChanges(this.init.doc, w.client, w.since, w.deletes)
      } catch (err) {
        this.fail(w, err as Error)
        continue
      }
      if (update === undefined) continue
      const ready = update
      this.writing = this.writing.then(async () => {
        try {
          await this.init.send(ready)
        } catch (err) {
          this.fail(w, err as Error)
        }
      })
    }
  }

  /** Closes the window and resolves once every queued entry is durable; rejects with the last failure since the previous flush. */
  async flush (): Promise<void> {
    this.cut()
    await this.writing
    const err = this.error
    this.error = undefined
    if (err !== undefined) throw err
  }

  /** Stops the window's timer; what is pending stays pending. */
  stop (): void {
    this.timer?.cancel()
    this.timer = undefined
  }

  private fail (w: Window, error: Error): void {
    this.failed.push(w)
    this.error = error
    this.init.onError(error)
  }
}
