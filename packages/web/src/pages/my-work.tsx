import { useQueries, useQuery } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { Link } from 'wouter'
import { call } from '../api.js'
import { useMe } from '../ui/hooks.js'
import { shortDate } from '../ui/format.js'
import { Inbox } from '../ui/inbox.js'

/** Every open task this node holds, across every board it replicates, and the inbox. */
export function MyWorkPage (): ReactNode {
  const me = useMe()
  const boards = useQuery({ queryKey: ['boards'], queryFn: async ({ signal }) => await call('listBoards', {}, signal) })
  const details = useQueries({
    queries: (boards.data?.boards ?? []).map((b) => ({
      queryKey: ['board', b.board],
      queryFn: async ({ signal }: { signal: AbortSignal }) => await call('board', { params: { board: b.board } }, signal)
    }))
  })
  const rows = details.flatMap((q) => {
    const d = q.data
    if (d === undefined || me === undefined) return []
    return d.tasks.filter((t) => t.holder === me && t.status !== d.workflow.done).map((t) => ({ board: d, task: t }))
  })
  const total = rows.reduce((sum, r) => sum + r.task.estimate, 0)
  return (
    <section className='pad page'>
      <div className='page-head'>
        <h1>My work and inbox</h1>
        <span className='muted'>{rows.length} open task{rows.length === 1 ? '' : 's'} · {total} pt</span>
      </div>
      {rows.length === 0
        ? <p className='empty'>Nothing claimed. Claim a task on a board and it shows here.</p>
        : (
          <table>
            <thead><tr><th>Task</th><th>Board</th><th>State</th><th>Estimate</th><th>Due</th></tr></thead>
            <tbody>
              {rows.map(({ board, task }) => (
                <tr key={board.board + task.id}>
                  <td><Link href={`/boards/${board.board}/tasks/${task.id}`}>{task.title}</Link>{task.contested && <> <span className='pill bad'>contested</span></>}</td>
                  <td><Link href={`/boards/${board.board}`}>{board.name}</Link></td>
                  <td>{board.workflow.states.find((s) => s.id === task.status)?.name ?? task.status}</td>
                  <td>{task.estimate} pt</td>
                  <td>{shortDate(task.due)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          )}
      <Inbox />
    </section>
  )
}
