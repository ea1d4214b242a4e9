import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent, type ReactNode } from 'react'
import { Link, useLocation } from 'wouter'
import { call, reason } from '../api.js'
import { useNames, who } from '../ui/names.js'

export function BoardsPage (): ReactNode {
  const queries = useQueryClient()
  const [, navigate] = useLocation()
  const boards = useQuery({ queryKey: ['boards'], queryFn: async ({ signal }) => await call('listBoards', {}, signal) })
  const names = useNames((boards.data?.boards ?? []).map((b) => b.creator))
  const [name, setName] = useState('')
  const [ticket, setTicket] = useState('')
  const create = useMutation({
    mutationFn: async (n: string) => await call('createBoard', { body: { name: n } }),
    onSuccess: async (created) => {
      await queries.invalidateQueries({ queryKey: ['boards'] })
      navigate(`/boards/${created.board}`)
    }
  })
  const join = useMutation({
    mutationFn: async (t: string) => await call('join', { body: { ticket: t } }),
    onSuccess: async () => {
      setTicket('')
      await queries.invalidateQueries()
    }
  })
  const submit = (e: FormEvent): void => {
    e.preventDefault()
    if (name.trim() !== '') create.mutate(name.trim())
  }
  return (
    <section className='pad page'>
      <div className='page-head'>
        <h1>Boards</h1>
        <form className='inline-form' onSubmit={submit}>
          <label className='sr-only' htmlFor='new-board'>New board name</label>
          <input id='new-board' placeholder='New board name' value={name} maxLength={200} onChange={(e) => { setName(e.target.value) }} />
          <button type='submit' className='primary' disabled={create.isPending}>Create board</button>
        </form>
      </div>
      {create.isError && <p className='error' role='alert'>{reason(create.error)}</p>}
      {boards.isPending && <p className='muted'>Loading…</p>}
      {boards.data?.boards.length === 0 && <p className='empty'>No boards yet. Create one, or join one with a ticket below.</p>}
      <ul className='tiles'>
        {boards.data?.boards.map((b) => (
          <li key={b.board}>
            <Link href={`/boards/${b.board}`} className='tile'>
              <strong>{b.name}</strong>
              <span className='muted'>{b.tasks} task{b.tasks === 1 ? '' : 's'} · {b.writers.length + 1} writer{b.writers.length === 0 ? '' : 's'}</span>
              <span className='muted small'>by {who(names, b.creator)}</span>
            </Link>
          </li>
        ))}
      </ul>
      <form className='card-form' onSubmit={(e) => { e.preventDefault(); if (ticket.trim() !== '') join.mutate(ticket.trim()) }}>
        <label htmlFor='ticket'>Join a board or an organization with a ticket</label>
        <div className='inline-form'>
          <input id='ticket' className='grow mono' placeholder='mutual1:…' value={ticket} onChange={(e) => { setTicket(e.target.value) }} />
          <button type='submit' disabled={join.isPending}>{join.isPending ? 'Joining…' : 'Join'}</button>
        </div>
        {join.isError && <p className='error' role='alert'>{reason(join.error)}</p>}
        {join.isSuccess && <p className='ok' role='status'>Joined {join.data.name}.</p>}
      </form>
    </section>
  )
}
