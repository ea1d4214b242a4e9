import { useSortable } from '@dnd-kit/sortable'
import { CSS } from '@dnd-kit/utilities'
import type { Task } from '@mutual/client'
import { memo, useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react'
import { shortDate } from '../ui/format.js'
import { usePageNames, who } from '../ui/names.js'

export interface CardProps {
  task: Task
  me: string | undefined
  blocked: boolean
  focused: boolean
  refused: boolean
  onKey: (task: Task, e: KeyboardEvent<HTMLElement>) => void
  onFocus: (id: string) => void
}

/** A task on the board; the card itself is focusable and takes the keyboard moves. */
export function CardFace ({ task, me, blocked }: { task: Task, me: string | undefined, blocked: boolean }): ReactNode {
  const names = usePageNames()
  const holder = who(names, task.holder, me)
  // An assignment by a board admin, shown when it names someone else than the holder.
  const assigned = task.assignedBy !== null && task.assignee !== task.holder ? who(names, task.assignee, me) : ''
  const overdue = task.due !== null && task.due < new Date().toISOString().slice(0, 10)
  return (
    <>
      <span className='card-title'>{task.title}</span>
      {(task.labels.length > 0 || blocked || task.blocked || task.contested) && (
        <span className='chips'>
          {(blocked || task.blocked) && <span className='chip warn' title='waits for a task that is not done'>Blocked</span>}
          {task.contested && <span className='chip danger' title='more than one active claim'>Contested</span>}
          {task.labels.map((l) => <span key={l} className='chip'>{l}</span>)}
        </span>
      )}
      <span className='card-meta'>
        {task.estimate > 0 && <span title='estimate'>{task.estimate} pt</span>}
        {task.due !== null && <span className={overdue ? 'due overdue' : 'due'} title={`due ${task.due}`}>{shortDate(task.due)}</span>}
        {holder !== '' && <span className='holder' title={task.holder ?? ''}><span className='avatar' aria-hidden='true'>{holder.slice(-2).toUpperCase()}</span>{holder}</span>}
        {assigned !== '' && <span className='assignee' title={`assigned to ${task.assignee ?? ''}${task.confirmed ? '' : ', not claimed yet'}`} data-testid='card-assignee'>→ {assigned}</span>}
      </span>
    </>
  )
}

export const Card = memo(function Card ({ task, me, blocked, focused, refused, onKey, onFocus }: CardProps): ReactNode {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: task.id, data: { status: task.status } })
  const ref = useRef<HTMLElement | null>(null)
  useEffect(() => {
    if (focused && document.activeElement !== ref.current) ref.current?.focus({ preventScroll: false })
  }, [focused])
  return (
    <article
      ref={(el) => { setNodeRef(el); ref.current = el }}
      className={`card${isDragging ? ' dragging' : ''}${refused ? ' refused' : ''}`}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      data-task={task.id}
      data-testid='card'
      {...attributes}
      {...listeners}
      // dnd-kit's keyboard sensor is not used: arrows move the card through the API instead.
      role='button'
      tabIndex={0}
      aria-roledescription='task card'
      aria-describedby='card-help'
      onKeyDown={(e) => { onKey(task, e) }}
      onFocus={() => { onFocus(task.id) }}
    >
      <CardFace task={task} me={me} blocked={blocked} />
    </article>
  )
})
