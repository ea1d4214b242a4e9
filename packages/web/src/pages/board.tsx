import { DndContext, DragOverlay, PointerSensor, closestCorners, useSensor, useSensors, type DragEndEvent, type DragStartEvent } from '@dnd-kit/core'
import type { Task } from '@mutual/client'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { Link, useLocation } from 'wouter'
import { call, reason } from '../api.js'
import { CardFace } from '../board/card.js'
import { Column } from '../board/column.js'
import { NO_FILTERS, columnsOf, countsOf, isBlocked, moved, placementIn, statusOf, type Filters, type Placement } from '../board/columns.js'
import { NamesContext, useNames, who } from '../ui/names.js'

interface Move {
  id: string
  placement: Placement
  columns: Record<string, string[]>
}

export function BoardPage ({ board }: { board: string }): ReactNode {
  const queries = useQueryClient()
  const [, navigate] = useLocation()
  const detail = useQuery({ queryKey: ['board', board], queryFn: async ({ signal }) => await call('board', { params: { board } }, signal) })
  const me = useQuery({ queryKey: ['me'], queryFn: async ({ signal }) => await call('id', {}, signal) }).data?.id
  const [filters, setFilters] = useState<Filters>(NO_FILTERS)
  const [optimistic, setOptimistic] = useState<Record<string, string[]> | null>(null)
  const [focusId, setFocusId] = useState<string>()
  const [dragId, setDragId] = useState<string>()
  const [notice, setNotice] = useState<{ text: string, error: boolean }>()
  const [refusedId, setRefusedId] = useState<string>()
  const announce = useRef<HTMLDivElement>(null)

  const data = detail.data
  const byId = useMemo(() => new Map((data?.tasks ?? []).map((t) => [t.id, t])), [data])
  const serverColumns = useMemo(() => data === undefined ? {} : columnsOf(data, filters, me), [data, filters, me])
  const counts = useMemo(() => data === undefined ? {} : countsOf(data), [data])
  const labels = useMemo(() => [...new Set((data?.tasks ?? []).flatMap((t) => t.labels))].sort(), [data])
  const people = useMemo(() => [...new Set([...(data?.tasks ?? []).flatMap((t) => [t.holder, t.assignee]), ...(data?.workload ?? []).map((w) => w.person)])], [data])
  const names = useNames(people)
  const columns = optimistic ?? serverColumns
  const done = data?.workflow.done ?? ''
  const blocked = useCallback((t: Task) => isBlocked(t, byId, done), [byId, done])
  const loaded = data !== undefined
  useEffect(() => {
    // The first frame with cards on screen (the virtualizer renders them once it has measured its
    // columns): what the ui-board benchmark times.
    if (!loaded) return
    const frame = (): void => {
      if (document.querySelector('[data-testid=card]') === null) requestAnimationFrame(frame)
      else performance.mark('board-interactive')
    }
    requestAnimationFrame(frame)
  }, [loaded])

  const pendingMoves = useRef(0)
  const move = useMutation({
    // One move at a time, in the order made: a second arrow press must not overtake the first.
    scope: { id: `moves-${board}` },
    mutationFn: async (m: Move) => await call('moveTask', { params: { board, task: m.id }, body: m.placement }),
    onMutate: (m) => {
      pendingMoves.current++
      setOptimistic(m.columns)
      setRefusedId(undefined)
    },
    onSuccess: (task, m) => {
      const name = data?.workflow.states.find((s) => s.id === m.placement.status)?.name ?? m.placement.status
      setNotice({ text: `Moved “${task.title}” to ${name}.`, error: false })
    },
    onError: (err, m) => {
      // Snap back: the server's order is the truth; say which rule refused.
      setOptimistic(null)
      setRefusedId(m.id)
      setNotice({ text: `Move refused: ${reason(err)}`, error: true })
    },
    onSettled: async () => {
      await queries.invalidateQueries({ queryKey: ['board', board] })
      // The server's order takes over once no move of this page is on its way.
      if (--pendingMoves.current === 0) setOptimistic(null)
    }
  })

  const add = useMutation({
    mutationFn: async ({ status, title }: { status: string, title: string }) => await call('addTask', { params: { board }, body: { title, status } }),
    onSuccess: async () => { await queries.invalidateQueries({ queryKey: ['board', board] }) },
    onError: (err) => { setNotice({ text: `Not added: ${reason(err)}`, error: true }) }
  })

  const states = data?.workflow.states ?? []
  const requestMove = useCallback((id: string, status: string, index: number) => {
    const next = moved(columns, id, status, index)
    const placement = placementIn(status, next[status], id)
    if (statusOf(columns, id) === status && columns[status]?.indexOf(id) === next[status].indexOf(id)) return
    move.mutate({ id, placement, columns: next })
  }, [columns, move])

  const onKey = useCallback((task: Task, e: KeyboardEvent<HTMLElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return
    // Where the card is on screen now: a move still on its way to the daemon counts.
    const status = statusOf(columns, task.id) ?? task.status
    const here = states.findIndex((s) => s.id === status)
    const list = columns[status] ?? []
    const at = list.indexOf(task.id)
    switch (e.key) {
      case 'Enter':
        e.preventDefault()
        navigate(`/boards/${board}/tasks/${task.id}`)
        return
      case 'ArrowLeft':
      case 'ArrowRight': {
        e.preventDefault()
        const target = states[here + (e.key === 'ArrowLeft' ? -1 : 1)]
        if (target === undefined) return
        setFocusId(task.id)
        requestMove(task.id, target.id, Math.min(at, (columns[target.id] ?? []).length))
        return
      }
      case 'ArrowUp':
      case 'ArrowDown': {
        e.preventDefault()
        const to = at + (e.key === 'ArrowUp' ? -1 : 1)
        if (to < 0 || to >= list.length) return
        setFocusId(task.id)
        requestMove(task.id, status, to)
      }
    }
  }, [states, columns, board, navigate, requestMove])

  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 5 } }))
  const onDragStart = (e: DragStartEvent): void => { setDragId(String(e.active.id)) }
  const onDragEnd = (e: DragEndEvent): void => {
    setDragId(undefined)
    const id = String(e.active.id)
    const over = e.over?.id === undefined ? undefined : String(e.over.id)
    if (over === undefined || over === id) return
    if (over.startsWith('col:')) {
      const status = over.slice(4)
      requestMove(id, status, (columns[status] ?? []).filter((x) => x !== id).length)
      return
    }
    const status = statusOf(columns, over)
    if (status === undefined) return
    const target = (columns[status] ?? []).filter((x) => x !== id)
    const overIndex = target.indexOf(over)
    const from = columns[status]?.indexOf(id) ?? -1
    // Dropped on a card: in its own column the card takes that card's place; from elsewhere it goes just before it.
    requestMove(id, status, from >= 0 && from <= overIndex ? overIndex + 1 : overIndex)
  }

  if (detail.isPending) return <p className='muted pad'>Loading the board…</p>
  if (detail.isError) return <section className='pad'><h1>Board</h1><p className='error' role='alert'>{reason(detail.error)}</p><Link href='/'>All boards</Link></section>
  const board$ = detail.data
  const dragged = dragId === undefined ? undefined : byId.get(dragId)
  const filtered = filters !== NO_FILTERS
  return (
    <NamesContext.Provider value={names}>
      <section className='board-page'>
        <div className='board-head'>
          <div>
            <p className='crumbs'><Link href='/'>Boards</Link> /</p>
            <h1>{board$.name}</h1>
          </div>
          <div className='sync' title={`${board$.sync.entries} entries; ${board$.sync.pending} pending`}>
            <span className={board$.sync.peers.length > 0 ? 'dot live' : 'dot'} aria-hidden='true' />
            {board$.sync.peers.length === 0 ? 'no peer online' : `${board$.sync.peers.length} peer${board$.sync.peers.length === 1 ? '' : 's'} live`}
            {' · '}{board$.tasks.length} tasks{board$.writable ? '' : ' · read-only'}
          </div>
        </div>
        <form className='filters' role='search' onSubmit={(e) => { e.preventDefault() }}>
          <label className='sr-only' htmlFor='filter-text'>Filter by text</label>
          <input id='filter-text' type='search' placeholder='Filter tasks' value={filters.text} onChange={(e) => { setFilters({ ...filters, text: e.target.value }) }} />
          <label className='sr-only' htmlFor='filter-label'>Label</label>
          <select id='filter-label' value={filters.label} onChange={(e) => { setFilters({ ...filters, label: e.target.value }) }}>
            <option value=''>All labels</option>
            {labels.map((l) => <option key={l} value={l}>{l}</option>)}
          </select>
          <label className='toggle'><input type='checkbox' checked={filters.mine} onChange={(e) => { setFilters({ ...filters, mine: e.target.checked }) }} /> Mine</label>
          <label className='toggle'><input type='checkbox' checked={filters.ready} onChange={(e) => { setFilters({ ...filters, ready: e.target.checked }) }} /> Ready</label>
          {filtered && <button type='button' className='link' onClick={() => { setFilters(NO_FILTERS) }}>Clear</button>}
          <span id='card-help' className='hint'>Focus a card: ← → change its state, ↑ ↓ reorder, Enter opens it.</span>
        </form>
        {notice !== undefined && (
          <p className={notice.error ? 'notice error' : 'notice'} role={notice.error ? 'alert' : 'status'} data-testid='board-notice'>
            {notice.text} <button type='button' className='link' onClick={() => { setNotice(undefined) }} aria-label='Dismiss'>×</button>
          </p>
        )}
        <div ref={announce} className='sr-only' aria-live='polite'>{notice?.error === false ? notice.text : ''}</div>
        <DndContext sensors={sensors} collisionDetection={closestCorners} onDragStart={onDragStart} onDragEnd={onDragEnd} onDragCancel={() => { setDragId(undefined) }}>
          <div className='columns'>
            {states.map((s) => (
              <Column
                key={s.id}
                state={s}
                ids={columns[s.id] ?? []}
                count={counts[s.id] ?? 0}
                byId={byId}
                blocked={blocked}
                me={me}
                focusId={focusId}
                refusedId={refusedId}
                writable={board$.writable}
                onKey={onKey}
                onFocus={setFocusId}
                onAdd={async (status, title) => { await add.mutateAsync({ status, title }) }}
              />
            ))}
          </div>
          <DragOverlay>{dragged === undefined ? null : <div className='card overlay'><CardFace task={dragged} me={me} blocked={blocked(dragged)} /></div>}</DragOverlay>
        </DndContext>
        {board$.workload.length > 0 && (
          <footer className='workload'>
            <h2>Workload</h2>
            <ul>{board$.workload.map((w) => <li key={w.person}><span title={w.person}>{who(names, w.person, me)}</span> <strong>{w.estimate} pt</strong></li>)}</ul>
          </footer>
        )}
      </section>
    </NamesContext.Provider>
  )
}
