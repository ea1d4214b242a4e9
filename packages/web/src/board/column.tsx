import { useDroppable } from '@dnd-kit/core'
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable'
import type { Task } from '@mutual/client'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { Card } from './card.js'

export interface ColumnProps {
  state: { id: string, name: string, wip?: number }
  ids: string[]
  count: number
  byId: Map<string, Task>
  blocked: (task: Task) => boolean
  me: string | undefined
  focusId: string | undefined
  refusedId: string | undefined
  writable: boolean
  onKey: (task: Task, e: KeyboardEvent<HTMLElement>) => void
  onFocus: (id: string) => void
  onAdd: (status: string, title: string) => Promise<void>
}

const CARD_HEIGHT = 96

/** One workflow state: its header with the WIP limit, a virtualized list of cards, quick add. */
export function Column (props: ColumnProps): ReactNode {
  const { state, ids, count, byId, me, focusId, refusedId } = props
  const scroller = useRef<HTMLDivElement | null>(null)
  const { setNodeRef, isOver } = useDroppable({ id: `col:${state.id}`, data: { status: state.id } })
  const virtual = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => CARD_HEIGHT,
    overscan: 8,
    getItemKey: (i) => ids[i]
  })
  const focusIndex = focusId === undefined ? -1 : ids.indexOf(focusId)
  useEffect(() => {
    if (focusIndex >= 0) virtual.scrollToIndex(focusIndex, { align: 'auto' })
  }, [focusIndex, virtual])
  const [title, setTitle] = useState('')
  const full = state.wip !== undefined && count >= state.wip
  const headingId = `col-${state.id}`
  return (
    <section className={`column${isOver ? ' over' : ''}`} aria-labelledby={headingId} data-status={state.id} data-testid='column'>
      <header className='column-head'>
        <h2 id={headingId}>{state.name}</h2>
        <span className={full ? 'count full' : 'count'} title={state.wip === undefined ? 'tasks' : `work-in-progress limit ${state.wip}`}>
          {count}{state.wip !== undefined && <> / {state.wip}</>}
        </span>
      </header>
      <div className='column-body' ref={(el) => { scroller.current = el; setNodeRef(el) }}>
        <SortableContext id={state.id} items={ids} strategy={verticalListSortingStrategy}>
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {virtual.getVirtualItems().map((item) => {
              const task = byId.get(ids[item.index])
              if (task === undefined) return null
              return (
                <div key={item.key} data-index={item.index} ref={virtual.measureElement} className='slot' style={{ top: item.start }}>
                  <Card task={task} me={me} blocked={props.blocked(task)} focused={task.id === focusId} refused={task.id === refusedId} onKey={props.onKey} onFocus={props.onFocus} />
                </div>
              )
            })}
          </div>
        </SortableContext>
        {ids.length === 0 && <p className='column-empty'>No tasks</p>}
      </div>
      {props.writable && (
        <form className='quick-add' onSubmit={(e) => {
          e.preventDefault()
          const t = title.trim()
          if (t === '') return
          props.onAdd(state.id, t).then(() => { setTitle('') }, () => {})
        }}>
          <label className='sr-only' htmlFor={`add-${state.id}`}>Add a task to {state.name}</label>
          <input id={`add-${state.id}`} placeholder='+ Add a task' value={title} maxLength={500} onChange={(e) => { setTitle(e.target.value) }} />
        </form>
      )}
    </section>
  )
}
