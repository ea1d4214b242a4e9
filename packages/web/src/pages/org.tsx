import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type ReactNode } from 'react'
import { Link } from 'wouter'
import { call, reason } from '../api.js'
import { useMe } from '../ui/hooks.js'
import { usePicker } from '../ui/picker.js'
import { when } from '../ui/format.js'
import { useNames, who } from '../ui/names.js'

const DAY = 24 * 3600

function Invites ({ org }: { org: string }): ReactNode {
  const queries = useQueryClient()
  const invites = useQuery({ queryKey: ['org', org, 'invites'], queryFn: async ({ signal }) => await call('orgInvites', { params: { org } }, signal) })
  const [days, setDays] = useState('7')
  const [uses, setUses] = useState('1')
  const [ticket, setTicket] = useState<string>()
  const [copied, setCopied] = useState(false)
  const refresh = async (): Promise<void> => { await queries.invalidateQueries({ queryKey: ['org', org, 'invites'] }) }
  const create = useMutation({
    mutationFn: async () => await call('createOrgInvite', { params: { org }, body: { expiresInSeconds: Math.round(Number(days) * DAY), uses: Number(uses) } }),
    onSuccess: async (created) => { setTicket(created.ticket); setCopied(false); await refresh() }
  })
  const revoke = useMutation({ mutationFn: async (id: string) => await call('revokeOrgInvite', { params: { org, id } }), onSuccess: refresh })
  return (
    <div className='panel'>
      <h2>Invites</h2>
      <form className='inline-form' onSubmit={(e) => { e.preventDefault(); create.mutate() }}>
        <label htmlFor='invite-days'>Expires in (days)</label>
        <input id='invite-days' type='number' min={1} max={365} value={days} onChange={(e) => { setDays(e.target.value) }} style={{ width: '5rem' }} />
        <label htmlFor='invite-uses'>Uses</label>
        <input id='invite-uses' type='number' min={1} max={10000} value={uses} onChange={(e) => { setUses(e.target.value) }} style={{ width: '5rem' }} />
        <button type='submit' className='primary'>Create invite</button>
      </form>
      {create.isError && <p className='error' role='alert'>{reason(create.error)}</p>}
      {ticket !== undefined && (
        <div className='inline-form' style={{ marginTop: '0.5rem' }}>
          <label className='sr-only' htmlFor='ticket-out'>Ticket</label>
          <input id='ticket-out' className='grow mono' readOnly value={ticket} onFocus={(e) => { e.target.select() }} />
          <button type='button' onClick={() => { navigator.clipboard.writeText(ticket).then(() => { setCopied(true) }, () => { setCopied(false) }) }}>{copied ? 'Copied' : 'Copy ticket'}</button>
        </div>
      )}
      <table style={{ marginTop: '0.75rem' }}>
        <thead><tr><th>Invite</th><th>Roles</th><th>Expires</th><th>Used</th><th>Status</th><th /></tr></thead>
        <tbody>
          {invites.data?.invites.map((i) => (
            <tr key={i.id}>
              <td className='mono small'>{i.id}</td>
              <td>{i.roles.join(', ')}</td>
              <td>{when(i.expires)}</td>
              <td>{i.used} / {i.uses}</td>
              <td><span className={`pill ${i.status === 'active' ? 'good' : ''}`}>{i.status}</span></td>
              <td>{i.status === 'active' && <button type='button' className='danger' onClick={() => { revoke.mutate(i.id) }}>Revoke</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function Spaces ({ org }: { org: string }): ReactNode {
  const spaces = useQuery({ queryKey: ['org', org, 'spaces'], queryFn: async ({ signal }) => await call('orgSpaces', { params: { org } }, signal) })
  if (spaces.data === undefined || spaces.data.spaces.length === 0) return null
  return (
    <div className='panel'>
      <h2>Spaces</h2>
      <table>
        <thead><tr><th>Space</th><th>Kind</th><th>Here</th><th>Authors</th><th>Entries</th></tr></thead>
        <tbody>
          {spaces.data.spaces.map((s) => (
            <tr key={s.space}>
              <td title={s.space}>{s.kind === 'board' && s.held ? <Link href={`/boards/${s.space}`}>{s.name}</Link> : s.name}</td>
              <td>{s.kind}</td>
              <td>{s.joined ? <span className='pill good'>replicated</span> : s.readable ? <span className='pill'>not joined</span> : <span className='pill warn'>no read access</span>}</td>
              <td>{s.authors}</td>
              <td>{s.entries}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function Federation (): ReactNode {
  const [id, setId] = useState('')
  const [wanted, setWanted] = useState<string>()
  const fed = useQuery({ queryKey: ['org', 'federation', wanted], enabled: wanted !== undefined, queryFn: async ({ signal }) => await call('federation', { params: { federation: wanted as string } }, signal) })
  return (
    <div className='panel'>
      <h2>Federations</h2>
      <form className='inline-form' onSubmit={(e) => { e.preventDefault(); if (id.trim() !== '') setWanted(id.trim()) }}>
        <label className='sr-only' htmlFor='federation-id'>Federation id</label>
        <input id='federation-id' className='grow mono' placeholder='Federation id' value={id} onChange={(e) => { setId(e.target.value) }} />
        <button type='submit'>Look up</button>
      </form>
      {fed.isError && <p className='error' role='alert'>{reason(fed.error)}</p>}
      {fed.data !== undefined && (
        <p><strong>{fed.data.name}</strong> — {fed.data.orgs.length} organizations, {fed.data.accepted.length} accepted, <span className={`pill ${fed.data.inForce ? 'good' : 'warn'}`}>{fed.data.inForce ? 'in force' : 'not in force'}</span></p>
      )}
    </div>
  )
}

/** This node's signed profile: the name others see beside its id, set here and published in every space it may write. */
function ProfilePanel ({ id }: { id: string | undefined }): ReactNode {
  const queries = useQueryClient()
  const profile = useQuery({
    queryKey: ['names', 'profile', id],
    enabled: id !== undefined,
    retry: false,
    queryFn: async ({ signal }) => await call('profile', { params: { id: id as string } }, signal).catch((err: { name?: string }) => {
      if (err.name === 'UnknownProfileError') return null
      throw err
    })
  })
  const [name, setName] = useState<string>()
  const [description, setDescription] = useState<string>()
  const shown = { name: name ?? profile.data?.name ?? '', description: description ?? profile.data?.description ?? '' }
  const save = useMutation({
    mutationFn: async () => await call('setProfile', { body: { name: shown.name.trim(), description: shown.description.trim() } }),
    onSuccess: async () => { setName(undefined); setDescription(undefined); await queries.invalidateQueries({ queryKey: ['names'] }) }
  })
  return (
    <div className='panel'>
      <h2>Profile</h2>
      <dl className='side'><dt>Id</dt><dd className='mono small' style={{ overflowWrap: 'anywhere' }}>{id}</dd></dl>
      <form onSubmit={(e) => { e.preventDefault(); if (shown.name.trim() !== '') save.mutate() }}>
        <div className='inline-form'>
          <label className='sr-only' htmlFor='profile-name'>Display name</label>
          <input id='profile-name' className='grow' placeholder='Display name' maxLength={64} value={shown.name} onChange={(e) => { setName(e.target.value) }} />
          <button type='submit' disabled={shown.name.trim() === '' || save.isPending}>Publish</button>
        </div>
        <label className='sr-only' htmlFor='profile-description'>About you</label>
        <input id='profile-description' placeholder='About you (optional)' maxLength={280} value={shown.description} onChange={(e) => { setDescription(e.target.value) }} style={{ marginTop: '0.5rem', width: '100%' }} />
      </form>
      {save.isError && <p className='error' role='alert'>{reason(save.error)}</p>}
      <p className='muted small' data-testid='profile-status'>
        {save.data !== undefined
          ? `Published in ${save.data.published.length} space${save.data.published.length === 1 ? '' : 's'}; others see “${save.data.profile.name}” beside your id.`
          : profile.data === null || profile.data === undefined
            ? 'Others see only this id until you publish a name.'
            : profile.data.at === undefined ? `“${profile.data.name}” is not published yet: you write no space.` : `Others see “${profile.data.name}” beside your id (signed ${when(profile.data.at)}).`}
      </p>
    </div>
  )
}

export function OrgPage (): ReactNode {
  const queries = useQueryClient()
  const me = useMe()
  const status = useQuery({ queryKey: ['network', 'status'], queryFn: async ({ signal }) => await call('status', {}, signal) })
  const orgs = useQuery({ queryKey: ['org', 'list'], queryFn: async ({ signal }) => await call('listOrgs', {}, signal) })
  const [org, picker] = usePicker('org', (orgs.data?.orgs ?? []).map((o) => ({ id: o.org, name: o.name })))
  const detail = useQuery({ queryKey: ['org', org], enabled: org !== undefined, queryFn: async ({ signal }) => await call('org', { params: { org: org as string } }, signal) })
  const names = useNames([...(detail.data?.members ?? []).map((m) => m.id), detail.data?.founder])
  const [name, setName] = useState('')
  const [ticket, setTicket] = useState('')
  const create = useMutation({ mutationFn: async () => await call('createOrg', { body: { name: name.trim() } }), onSuccess: async () => { setName(''); await queries.invalidateQueries({ queryKey: ['org'] }) } })
  const join = useMutation({ mutationFn: async () => await call('join', { body: { ticket: ticket.trim() } }), onSuccess: async () => { setTicket(''); await queries.invalidateQueries() } })
  const admin = detail.data?.admins.some((a) => a.id === me && !a.removed) === true
  return (
    <section className='pad page'>
      <div className='page-head'><h1>Organization</h1>{picker}</div>
      <div className='grid-2'>
        <ProfilePanel id={status.data?.id} />
        <div className='panel'>
          <h2>Join or found</h2>
          <form className='inline-form' onSubmit={(e) => { e.preventDefault(); if (ticket.trim() !== '') join.mutate() }}>
            <label className='sr-only' htmlFor='org-ticket'>Ticket</label>
            <input id='org-ticket' className='grow mono' placeholder='Paste a ticket: mutual1:…' value={ticket} onChange={(e) => { setTicket(e.target.value) }} />
            <button type='submit'>{join.isPending ? 'Joining…' : 'Join'}</button>
          </form>
          {join.isError && <p className='error' role='alert'>{reason(join.error)}</p>}
          <form className='inline-form' style={{ marginTop: '0.5rem' }} onSubmit={(e) => { e.preventDefault(); if (name.trim() !== '') create.mutate() }}>
            <label className='sr-only' htmlFor='org-name'>New organization name</label>
            <input id='org-name' className='grow' placeholder='New organization name' value={name} onChange={(e) => { setName(e.target.value) }} />
            <button type='submit'>Found</button>
          </form>
          {create.isError && <p className='error' role='alert'>{reason(create.error)}</p>}
        </div>
      </div>
      {orgs.data?.orgs.length === 0 && <p className='empty'>You are in no organization yet.</p>}
      {detail.data !== undefined && (
        <>
          <div className='panel'>
            <h2>{detail.data.name} — members</h2>
            <table>
              <thead><tr><th>Member</th><th>Roles</th><th>Kind</th><th>Status</th></tr></thead>
              <tbody>
                {/* The API lists admins among the members, with every role they hold. */}
                {detail.data.members.map((m) => (
                  <tr key={m.id}><td title={m.id}>{who(names, m.id, me)}</td><td>{m.roles.join(', ')}</td><td>{m.kind}</td><td>{m.revoked ? <span className='pill bad'>revoked</span> : <span className='pill good'>active</span>}</td></tr>
                ))}
              </tbody>
            </table>
            <p className='muted small'>Founded by {who(names, detail.data.founder, me)}; changes need {detail.data.threshold.admins} admin signature{detail.data.threshold.admins === 1 ? '' : 's'}{detail.data.threshold.unionRep ? ' and a union representative' : ''}.</p>
          </div>
          <Spaces org={detail.data.org} />
          {admin && <Invites org={detail.data.org} />}
        </>
      )}
      <Federation />
    </section>
  )
}
