import type { Announcement } from '@mutual/client'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type ReactNode } from 'react'
import { call, reason } from '../api.js'
import { useMe } from '../ui/hooks.js'
import { usePicker } from '../ui/picker.js'
import { useNames, who, type Names } from '../ui/names.js'


function Decide ({ market, application, onDone }: { market: string, application: string, onDone: () => Promise<void> }): ReactNode {
  const [why, setWhy] = useState('')
  const decide = useMutation({
    mutationFn: async (decision: 'accept' | 'decline') => await call('decide', { params: { market, id: application, decision }, body: { reason: why.trim() } }),
    onSuccess: onDone
  })
  return (
    <form className='inline-form' onSubmit={(e) => { e.preventDefault() }}>
      <label className='sr-only' htmlFor={`why-${application}`}>Reason</label>
      <input id={`why-${application}`} placeholder='Reason (required)' value={why} onChange={(e) => { setWhy(e.target.value) }} />
      <button type='button' disabled={why.trim() === ''} onClick={() => { decide.mutate('accept') }}>Accept</button>
      <button type='button' className='danger' disabled={why.trim() === ''} onClick={() => { decide.mutate('decline') }}>Decline</button>
      {decide.isError && <span className='error' role='alert'>{reason(decide.error)}</span>}
    </form>
  )
}

function AnnouncementCard ({ market, a, me, names, onDone }: { market: string, a: Announcement, me: string | undefined, names: Names, onDone: () => Promise<void> }): ReactNode {
  const [note, setNote] = useState('')
  const apply = useMutation({
    mutationFn: async () => await call('apply', { params: { market }, body: { announcement: a.id, note: note.trim() === '' ? undefined : note.trim() } }),
    onSuccess: async () => { setNote(''); await onDone() }
  })
  const applied = a.applications.some((x) => x.author === me)
  return (
    <article className='panel'>
      <div className='page-head'>
        <h2>{a.body.title}</h2>
        <span className='muted small'>{a.body.estimate} pt · weight {a.body.valueWeight} · by {who(names, a.author, me)}</span>
      </div>
      {a.body.summary !== '' && <p>{a.body.summary}</p>}
      {a.body.skills.length > 0 && <p className='chips'>{a.body.skills.map((s) => <span key={s} className='chip'>{s}</span>)}</p>}
      {a.author !== me && !applied && (
        <form className='inline-form' onSubmit={(e) => { e.preventDefault(); apply.mutate() }}>
          <label className='sr-only' htmlFor={`note-${a.id}`}>Note</label>
          <input id={`note-${a.id}`} className='grow' placeholder='Why you (optional)' value={note} onChange={(e) => { setNote(e.target.value) }} />
          <button type='submit' className='primary'>Apply</button>
        </form>
      )}
      {apply.isError && <p className='error' role='alert'>{reason(apply.error)}</p>}
      <h3 className='small muted'>Applications ({a.applications.length})</h3>
      <ul>
        {a.applications.map((x) => (
          <li key={x.id}>
            {who(names, x.author, me)} <span className={`pill ${x.status === 'accepted' ? 'good' : x.status === 'declined' ? 'bad' : ''}`}>{x.status}</span>
            {x.note !== '' && <span className='muted'> — {x.note}</span>}
            {x.decisions.map((d) => <div key={d.id} className='muted small'>{d.kind} by {who(names, d.author, me)}: {d.reason}</div>)}
            {x.status === 'open' && a.author === me && <Decide market={market} application={x.id} onDone={onDone} />}
          </li>
        ))}
      </ul>
    </article>
  )
}

export function MarketPage (): ReactNode {
  const queries = useQueryClient()
  const me = useMe()
  const markets = useQuery({ queryKey: ['market', 'list'], queryFn: async ({ signal }) => await call('listMarkets', {}, signal) })
  const [market, picker] = usePicker('market', (markets.data?.markets ?? []).filter((m) => m.held).map((m) => ({ id: m.market, name: m.name })))
  const detail = useQuery({ queryKey: ['market', market], enabled: market !== undefined, queryFn: async ({ signal }) => await call('market', { params: { market: market as string } }, signal) })
  const names = useNames((detail.data?.announcements ?? []).flatMap((a) => [a.author, ...a.applications.flatMap((x) => [x.author, ...x.decisions.map((d) => d.author)])]))
  const [title, setTitle] = useState('')
  const [summary, setSummary] = useState('')
  const [estimate, setEstimate] = useState('')
  const done = async (): Promise<void> => { await queries.invalidateQueries({ queryKey: ['market'] }) }
  const announce = useMutation({
    mutationFn: async () => await call('announce', { params: { market: market as string }, body: { title: title.trim(), summary: summary.trim(), estimate: estimate === '' ? undefined : Number(estimate) } }),
    onSuccess: async () => { setTitle(''); setSummary(''); setEstimate(''); await done() }
  })
  const create = useMutation({ mutationFn: async () => await call('createMarket', { body: { name: 'Open market' } }), onSuccess: done })
  return (
    <section className='pad page'>
      <div className='page-head'><h1>Market</h1>{picker}</div>
      {markets.data?.markets.length === 0 && (
        <div className='empty'>
          <p>No market here yet. Join one with a ticket on the Boards page, or start one.</p>
          <button type='button' onClick={() => { create.mutate() }}>Start a market</button>
        </div>
      )}
      {market !== undefined && (
        <form className='card-form' onSubmit={(e) => { e.preventDefault(); if (title.trim() !== '') announce.mutate() }}>
          <label htmlFor='announce-title'>Announce a task</label>
          <div className='inline-form'>
            <input id='announce-title' className='grow' placeholder='Title' value={title} onChange={(e) => { setTitle(e.target.value) }} />
            <label className='sr-only' htmlFor='announce-estimate'>Estimate</label>
            <input id='announce-estimate' type='number' min={0} placeholder='Estimate' value={estimate} onChange={(e) => { setEstimate(e.target.value) }} style={{ width: '8rem' }} />
          </div>
          <label className='sr-only' htmlFor='announce-summary'>Summary</label>
          <textarea id='announce-summary' placeholder='Summary' value={summary} onChange={(e) => { setSummary(e.target.value) }} rows={2} />
          <div><button type='submit' className='primary'>Announce</button></div>
          {announce.isError && <p className='error' role='alert'>{reason(announce.error)}</p>}
        </form>
      )}
      <h2>Announced tasks</h2>
      {detail.data?.announcements.length === 0 && <p className='empty'>No announcements yet.</p>}
      {detail.data?.announcements.map((a) => <AnnouncementCard key={a.id} market={market as string} a={a} me={me} names={names} onDone={done} />)}
    </section>
  )
}
