import { useQuery } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { call } from '../api.js'
import { duration, shortId } from '../ui/format.js'
import { useNames, who } from '../ui/names.js'

/** A connection through a relay has a circuit address; every other one is direct. */
const connection = (addresses: string[]): string => addresses.some((a) => a.includes('/p2p-circuit')) ? 'relayed' : 'direct'

export function NetworkPage (): ReactNode {
  const status = useQuery({ queryKey: ['network', 'status'], queryFn: async ({ signal }) => await call('status', {}, signal) })
  const peers = useQuery({ queryKey: ['peers'], queryFn: async ({ signal }) => await call('peers', {}, signal) })
  const spaces = useQuery({ queryKey: ['spaces'], queryFn: async ({ signal }) => await call('listSpaces', {}, signal) })
  const boards = useQuery({ queryKey: ['boards'], queryFn: async ({ signal }) => await call('listBoards', {}, signal) })
  const firstBoard = boards.data?.boards[0]?.board
  const sync = useQuery({ queryKey: ['board', firstBoard], enabled: firstBoard !== undefined, queryFn: async ({ signal }) => await call('board', { params: { board: firstBoard as string } }, signal) })
  const names = useNames((peers.data?.peers ?? []).map((p) => p.id))
  const doctor = useQuery({ queryKey: ['network', 'doctor'], queryFn: async ({ signal }) => await call('doctor', {}, signal) })
  return (
    <section className='pad page'>
      <div className='page-head'>
        <h1>Network</h1>
        {status.data !== undefined && <span className='muted'>up {duration(status.data.uptimeMs)} · {status.data.peers} peers · {status.data.spaces} spaces · v{status.data.version}</span>}
      </div>
      <div className='panel'>
        <h2>Peers</h2>
        {peers.data?.peers.length === 0 && <p className='muted'>No peer connected.</p>}
        {(peers.data?.peers.length ?? 0) > 0 && (
          <table>
            <thead><tr><th>Peer</th><th>Connection</th><th>Direction</th><th>Latency</th><th>Score</th><th>Addresses</th></tr></thead>
            <tbody>
              {peers.data?.peers.map((p) => (
                <tr key={p.id}>
                  <td className='small' title={p.id}>{who(names, p.id)}</td>
                  <td><span className={`pill ${connection(p.addresses) === 'direct' ? 'good' : 'warn'}`}>{connection(p.addresses)}</span></td>
                  <td>{p.direction}</td>
                  <td>{p.latencyMs === undefined ? '—' : `${Math.round(p.latencyMs)} ms`}</td>
                  <td>{p.score.toFixed(1)}</td>
                  <td className='mono small'>{p.addresses.join(' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className='panel'>
        <h2>Spaces and sync</h2>
        <table>
          <thead><tr><th>Space</th><th>Kind</th><th>Authors</th><th>Entries</th></tr></thead>
          <tbody>
            {spaces.data?.spaces.map((s) => (
              <tr key={s.space}><td title={s.space}>{s.name} <span className='muted mono small'>{shortId(s.space)}</span></td><td>{s.kind}</td><td>{s.authors}</td><td>{s.entries}</td></tr>
            ))}
          </tbody>
        </table>
        {sync.data !== undefined && <p className='muted small'>Entries held back for a missing predecessor: {sync.data.sync.pending}.</p>}
      </div>
      <div className='panel'>
        <h2>Doctor</h2>
        <ul className='checks'>
          {doctor.data?.checks.map((c) => (
            <li key={c.name}><span className={`pill ${c.ok ? 'good' : 'bad'}`}>{c.ok ? 'ok' : 'check'}</span> <strong>{c.name}</strong> <span className='muted'>{c.detail}</span></li>
          ))}
        </ul>
      </div>
      {status.data !== undefined && (
        <div className='panel'>
          <h2>This node</h2>
          <p className='mono small' style={{ overflowWrap: 'anywhere' }}>{status.data.id}</p>
          <ul className='mono small'>{status.data.addresses.map((a) => <li key={a}>{a}</li>)}</ul>
        </div>
      )}
    </section>
  )
}
