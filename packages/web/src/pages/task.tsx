import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Fragment, useState, type ReactNode } from 'react'
import { Link } from 'wouter'
import { call, reason } from '../api.js'
import { DescriptionEditor } from '../task/description.js'
import { useBoardDoc } from '../task/board-doc.js'
import { shortId, when } from '../ui/format.js'
import { useNames, who } from '../ui/names.js'

/** Comment text with @mentions set apart. */
function Mentions ({ text }: { text: string }): ReactNode {
  const parts = text.split(/(@[\w…-]+)/g)
  return <>{parts.map((p, i) => p.startsWith('@') ? <span key={i} className='mention'>{p}</span> : <Fragment key={i}>{p}</Fragment>)}</>
}

export function TaskPage ({ board, task }: { board: string, task: string }): ReactNode {
  const queries = useQueryClient()
  const me = useQuery({ queryKey: ['me'], queryFn: async ({ signal }) => await call('id', {}, signal) }).data?.id
  const detail = useQuery({ queryKey: ['task', board, task], queryFn: async ({ signal }) => await call('task', { params: { board, task } }, signal) })
  const boardQ = useQuery({ queryKey: ['board', board], queryFn: async ({ signal }) => await call('board', { params: { board } }, signal) })
  const live = useBoardDoc(board, task)
  const d = detail.data
  const names = useNames(d === undefined ? [] : [d.task.holder, d.task.assignee, d.task.createdBy, boardQ.data?.creator, ...(boardQ.data?.writers ?? []), ...d.claimants.map((c) => c.author), ...d.history.map((h) => h.author), ...d.task.comments.map((c) => c.author)])
  const [comment, setComment] = useState('')
  const [dependency, setDependency] = useState('')
  const [assignee, setAssignee] = useState('')
  const refresh = async (): Promise<void> => {
    await queries.invalidateQueries({ queryKey: ['task', board, task] })
    await queries.invalidateQueries({ queryKey: ['board', board] })
  }
  const act = useMutation({
    mutationFn: async (action: () => Promise<unknown>) => await action(),
    onSuccess: refresh
  })

  if (detail.isPending) return <p className='muted pad'>Loading the task…</p>
  if (detail.isError) return <section className='pad'><p className='error' role='alert'>{reason(detail.error)}</p><Link href={`/boards/${board}`}>Back to the board</Link></section>
  const { task: t, claimants, history } = detail.data
  const tasks = boardQ.data?.tasks ?? []
  const title = (id: string): string => tasks.find((x) => x.id === id)?.title ?? id
  const state = boardQ.data?.workflow.states.find((s) => s.id === t.status)?.name ?? t.status
  const mine = claimants.some((c) => c.author === me)
  return (
    <div className='task-page'>
      <section>
        <p className='crumbs'><Link href='/'>Boards</Link> / <Link href={`/boards/${board}`}>{boardQ.data?.name ?? 'Board'}</Link> /</p>
        <h1>{t.title}</h1>
        <h2 id='description-label'>Description</h2>
        {live?.text === undefined
          ? <p className='muted'>{live === undefined ? 'Loading the live document…' : 'This task has no description text.'}</p>
          : <DescriptionEditor text={live.text} label='Description' />}
        {live?.error !== undefined && <p className='error' role='alert'>Not saved yet: {live.error}</p>}
        <p className='muted small'>Edits are live: everyone on this board sees them as they are typed, each signed by their own node.</p>

        <h2>Comments</h2>
        <ul className='comments'>
          {t.comments.length === 0 && <li className='muted'>No comments yet.</li>}
          {t.comments.map((c) => (
            <li key={c.id}>
              <div className='muted small'>{who(names, c.author, me)} · {when(c.at)}</div>
              <Mentions text={c.text} />
            </li>
          ))}
        </ul>
        <form className='inline-form' onSubmit={(e) => {
          e.preventDefault()
          if (comment.trim() === '') return
          act.mutate(async () => { await call('comment', { params: { board, task }, body: { text: comment.trim() } }); setComment('') })
        }}>
          <label className='sr-only' htmlFor='comment'>Comment</label>
          <input id='comment' className='grow' placeholder='Comment; @name or @id mentions someone' value={comment} onChange={(e) => { setComment(e.target.value) }} />
          <button type='submit'>Comment</button>
        </form>

        <h2>History</h2>
        <table className='history'>
          <thead><tr><th>When</th><th>Who</th><th>What</th><th>Entry</th></tr></thead>
          <tbody>
            {history.map((h) => (
              <tr key={h.entry + h.type}>
                <td>{when(h.at)}</td>
                <td title={h.author}>{who(names, h.author, me)}</td>
                <td>{h.type === 'board/update' ? h.changes.join(', ') : h.type.replace('task/', '')}{h.status !== undefined && h.status.from !== h.status.to ? ` (${h.status.from ?? '—'} → ${h.status.to ?? '—'})` : ''}</td>
                <td className='mono small' title={h.entry}>{shortId(h.entry)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <aside className='side'>
        <div className='panel'>
          <dl>
            <dt>State</dt><dd>{state}{t.ready && <> <span className='pill good'>ready</span></>}</dd>
            <dt>Holder</dt><dd>{t.holder === null ? <span className='muted'>nobody</span> : who(names, t.holder, me)}{t.contested && <> <span className='pill bad'>contested</span></>}</dd>
            <dt>Assignee</dt>
            <dd data-testid='assignee'>
              {t.assignee === null ? <span className='muted'>nobody</span> : who(names, t.assignee, me)}
              {t.assignee !== null && t.assignedBy !== null && !t.confirmed && <> <span className='pill warn' title='assigned, not claimed yet'>unconfirmed</span></>}
            </dd>
            {t.blocked && <><dt>Blocked</dt><dd><span className='pill bad'>waits on an unfinished task</span></dd></>}
            <dt>Estimate</dt><dd>{t.estimate} pt</dd>
            <dt>Due</dt><dd>{t.due ?? <span className='muted'>none</span>}</dd>
            <dt>Labels</dt><dd>{t.labels.length === 0 ? <span className='muted'>none</span> : t.labels.join(', ')}</dd>
            <dt>Created</dt><dd>{who(names, t.createdBy, me)}, {when(t.createdAt)}</dd>
          </dl>
          <p className='inline-form'>
            {mine
              ? <button type='button' onClick={() => { act.mutate(async () => await call('releaseTask', { params: { board, task } })) }}>Release</button>
              : <button type='button' className='primary' onClick={() => { act.mutate(async () => await call('claimTask', { params: { board, task } })) }}>Claim</button>}
          </p>
          <form className='inline-form' onSubmit={(e) => {
            e.preventDefault()
            if (assignee === '') return
            act.mutate(async () => { await call('assignTask', { params: { board, task }, body: { assignee: assignee === 'none' ? null : assignee } }); setAssignee('') })
          }}>
            <label className='sr-only' htmlFor='assign'>Assign to</label>
            <select id='assign' value={assignee} onChange={(e) => { setAssignee(e.target.value) }}>
              <option value=''>Assign to…</option>
              {[...new Set([boardQ.data?.creator, ...(boardQ.data?.writers ?? [])])].filter((p): p is string => p !== undefined).map((p) => <option key={p} value={p}>{who(names, p, me)}</option>)}
              <option value='none'>nobody (clear)</option>
            </select>
            <button type='submit' disabled={assignee === ''}>Assign</button>
          </form>
          {act.isError && <p className='error' role='alert'>{reason(act.error)}</p>}
        </div>
        <div className='panel'>
          <h2>Claims</h2>
          {claimants.length === 0 ? <p className='muted'>No claims.</p> : (
            <ol>{claimants.map((c) => <li key={c.entry}>{who(names, c.author, me)} <span className='muted small'>{when(c.at)}</span></li>)}</ol>
          )}
          <h2>Depends on</h2>
          {t.dependencies.length === 0 && <p className='muted'>Nothing.</p>}
          <ul>
            {t.dependencies.map((d) => (
              <li key={d}>
                <Link href={`/boards/${board}/tasks/${d}`}>{title(d)}</Link>{' '}
                <button type='button' className='link' aria-label={`Stop waiting for ${title(d)}`} onClick={() => { act.mutate(async () => await call('undepend', { params: { board, task, on: d } })) }}>remove</button>
              </li>
            ))}
          </ul>
          <form className='inline-form' onSubmit={(e) => {
            e.preventDefault()
            if (dependency === '') return
            act.mutate(async () => { await call('depend', { params: { board, task }, body: { on: dependency } }); setDependency('') })
          }}>
            <label className='sr-only' htmlFor='dependency'>Add a dependency</label>
            <select id='dependency' value={dependency} onChange={(e) => { setDependency(e.target.value) }}>
              <option value=''>Wait for a task…</option>
              {tasks.filter((x) => x.id !== task && !t.dependencies.includes(x.id)).slice(0, 500).map((x) => <option key={x.id} value={x.id}>{x.title}</option>)}
            </select>
            <button type='submit'>Add</button>
          </form>
        </div>
      </aside>
    </div>
  )
}
