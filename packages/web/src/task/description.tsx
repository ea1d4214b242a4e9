import { EditorView, minimalSetup } from 'codemirror'
import { useEffect, useRef, type ReactNode } from 'react'
import { yCollab } from 'y-codemirror.next'
import type * as Y from 'yjs'

/** The task's description bound to its Y.Text: every keystroke is a Yjs edit, merged with others' live. */
export function DescriptionEditor ({ text, label }: { text: Y.Text, label: string }): ReactNode {
  const host = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const view = new EditorView({
      doc: text.toString(),
      extensions: [
        minimalSetup,
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true', 'data-testid': 'description' }),
        yCollab(text, null)
      ],
      parent: host.current as HTMLDivElement
    })
    return () => { view.destroy() }
  }, [text, label])
  return <div className='editor' ref={host} />
}
