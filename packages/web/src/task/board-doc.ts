import { useEffect, useState } from 'react'
import * as Y from 'yjs'
import { call } from '../api.js'
import { onEvent } from '../live.js'

const FROM_DAEMON = Symbol('from-daemon')
/** Keystrokes within this window leave together. */
const SEND_MS = 60

const toBase64 = (bytes: Uint8Array): string => {
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s)
}
const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))

export interface BoardDoc {
  doc: Y.Doc
  /** the task's description, live */
  text: Y.Text | undefined
  /** an edit the daemon refused, in words */
  error: string | undefined
}

/**
 * A Yjs replica of one board in the page (DESIGN §6, web UI): loaded from the daemon's document,
 * kept in step by pulling what it lacks whenever the event stream says the board changed, and
 * sending the page's own edits back, where the daemon checks them and signs them as its entry.
 * The page holds no key.
 */
export function useBoardDoc (board: string, task: string): BoardDoc | undefined {
  const [state, setState] = useState<BoardDoc>()
  useEffect(() => {
    const doc = new Y.Doc()
    const controller = new AbortController()
    let outbox: Uint8Array[] = []
    let timer: ReturnType<typeof setTimeout> | undefined
    let pulling: Promise<void> = Promise.resolve()
    let error: string | undefined
    const publish = (): void => {
      const m = doc.getMap('tasks').get(task)
      const text = m instanceof Y.Map ? m.get('description') : undefined
      setState({ doc, text: text instanceof Y.Text ? text : undefined, error })
    }
    const pull = async (): Promise<void> => {
      const since = toBase64(Y.encodeStateVector(doc))
      const diff = await call('boardDoc', { params: { board }, query: { since } }, controller.signal)
      Y.applyUpdate(doc, fromBase64(diff.update), FROM_DAEMON)
    }
    const schedulePull = (): void => {
      pulling = pulling.then(pull).catch(() => {})
    }
    const send = async (): Promise<void> => {
      timer = undefined
      const batch = outbox
      outbox = []
      if (batch.length === 0) return
      try {
        await call('pushBoardDoc', { params: { board }, body: { update: toBase64(Y.mergeUpdates(batch)) } }, controller.signal)
        if (error !== undefined) { error = undefined; publish() }
      } catch (err) {
        if (controller.signal.aborted) return
        // Kept, and sent again with the next edit or after the next pull.
        outbox.unshift(...batch)
        error = (err as Error).message
        publish()
        timer ??= setTimeout(() => { void send() }, 1000)
      }
    }
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === FROM_DAEMON) return
      outbox.push(update)
      timer ??= setTimeout(() => { void send() }, SEND_MS)
    })
    const off = onEvent((event) => {
      if (event.type === 'board' && (event.data as { board?: string }).board === board) schedulePull()
    })
    pull().then(publish, (err: Error) => { if (!controller.signal.aborted) { error = err.message; publish() } })
    return () => {
      off()
      controller.abort()
      if (timer !== undefined) clearTimeout(timer)
      doc.destroy()
    }
  }, [board, task])
  return state
}
