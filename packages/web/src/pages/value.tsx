import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useMemo, useState, type ReactNode } from 'react'
import { Link } from 'wouter'
import { call, reason } from '../api.js'
import { SharesChart } from '../ui/shares-chart.js'
import { useMe } from '../ui/hooks.js'
import { usePicker } from '../ui/picker.js'
import { percent, shortId, when } from '../ui/format.js'
import { useNames, who } from '../ui/names.js'
import { contributionHref } from '../ui/links.js'

const thisMonth = (): string => new Date().toISOString().slice(0, 7)

export function ValuePage (): ReactNode {
  const queries = useQueryClient()
  const me = useMe()
  const ledgers = useQuery({ queryKey: ['ledger', 'list'], queryFn: async ({ signal }) => await call('listLedgers', {}, signal) })
  const [ledger, picker] = usePicker('ledger', (ledgers.data?.ledgers ?? []).map((l) => ({ id: l.ledger, name: l.name })))
  const [period, setPeriod] = useState(thisMonth())
  const validPeriod = /^\d{4}-(0[1-9]|1[0-2])$/.test(period)
  const shares = useQuery({
    queryKey: ['ledger', ledger, 'shares', period],
    enabled: ledger !== undefined && validPeriod,
    queryFn: async ({ signal }) => await call('shares', { params: { ledger: ledger as string }, query: { period, explain: 'true' } }, signal)
  })
  const contributions = useQuery({
    queryKey: ['ledger', ledger, 'contributions', period],
    enabled: ledger !== undefined && validPeriod,
    queryFn: async ({ signal }) => await call('contributions', { params: { ledger: ledger as string }, query: { period } }, signal)
  })
  const names = useNames([...(shares.data?.shares ?? []).map((s) => s.participant), ...(contributions.data?.contributions ?? []).map((c) => c.author)])
  const [settlement, setSettlement] = useState<string>()
  const settle = useMutation({
    mutationFn: async () => await call('settle', { params: { ledger: ledger as string }, body: { period } }),
    onSuccess: async (s) => { setSettlement(s.entry.id); await queries.invalidateQueries({ queryKey: ['ledger'] }) }
  })
  const verify = useMutation({ mutationFn: async (id: string) => await call('verifySettlement', { params: { ledger: ledger as string, id } }) })
  const chart = useMemo(() => ({
    labels: (shares.data?.shares ?? []).map((s) => who(names, s.participant, me)),
    percents: (shares.data?.shares ?? []).map((s) => s.ppm / 10_000)
  }), [shares.data, me, names])
  const weights = shares.data?.policy.weights
  return (
    <section className='pad page'>
      <div className='page-head'>
        <h1>Contributions and value</h1>
        <div className='inline-form'>
          {picker}
          <label htmlFor='period'>Period</label>
          <input id='period' value={period} onChange={(e) => { setPeriod(e.target.value) }} placeholder='YYYY-MM' style={{ width: '7rem' }} aria-invalid={!validPeriod} />
        </div>
      </div>
      {ledgers.data?.ledgers.length === 0 && <p className='empty'>No ledger here yet: an organization's admin creates one (`mutual contrib`).</p>}
      {shares.isError && <p className='error' role='alert'>{reason(shares.error)}</p>}
      {shares.data !== undefined && (
        <div className='grid-2'>
          <div className='panel'>
            <h2>Shares of {shares.data.period}</h2>
            {shares.data.shares.length === 0 ? <p className='muted'>No counted contribution in this period.</p> : <SharesChart labels={chart.labels} percents={chart.percents} title={`Shares of ${shares.data.period}`} />}
            <p className='muted small mono' title={shares.data.hash}>distribution hash {shortId(shares.data.hash)} · {shares.data.inputs} inputs</p>
            <div className='inline-form'>
              <button type='button' className='primary' onClick={() => { settle.mutate() }}>Settle {shares.data.period}</button>
              {settlement !== undefined && <button type='button' onClick={() => { verify.mutate(settlement) }}>Verify settlement</button>}
            </div>
            {settle.isError && <p className='error' role='alert'>{reason(settle.error)}</p>}
            {verify.data !== undefined && <p className={verify.data.ok ? 'ok' : 'error'} role='status'>{verify.data.ok ? 'The settlement matches the entries held here.' : `Mismatch: ${verify.data.missing.length} missing, ${verify.data.extra.length} extra inputs.`}</p>}
          </div>
          <div className='panel'>
            <h2>Policy v{shares.data.policy.version}{shares.data.policy.default ? ' (default)' : ''}</h2>
            {weights !== undefined && (
              <table>
                <tbody>
                  {Object.entries(weights).map(([k, v]) => <tr key={k}><th scope='row'>{k}</th><td>{v}</td></tr>)}
                  <tr><th scope='row'>min attestations</th><td>{shares.data.policy.minAttestations}</td></tr>
                </tbody>
              </table>
            )}
          </div>
        </div>
      )}
      {shares.data?.distribution !== undefined && (
        <div className='panel'>
          <h2>Why: each contribution</h2>
          <table>
            <thead><tr><th>Contribution</th><th>By</th><th>Kind</th><th>Effort</th><th>Attested</th><th>Quality</th><th>Satisfaction</th><th>Counted</th></tr></thead>
            <tbody>
              {shares.data.distribution.contributions.map((c) => (
                <tr key={c.id}>
                  <td className='mono small' title={c.id}><Link href={contributionHref(ledger as string, c.id)}>{shortId(c.id)}</Link></td>
                  <td>{who(names, c.author, me)}</td>
                  <td>{c.kind}</td>
                  <td>{c.effort}</td>
                  <td>{c.accepts} ✓ {c.rejects} ✗</td>
                  <td>{c.quality}</td>
                  <td>{c.ratings > 0 ? c.satisfaction : '—'}</td>
                  <td>{c.counted ? <span className='pill good'>yes</span> : <span className='pill warn' title={c.reason}>no{c.reason === undefined ? '' : `: ${c.reason}`}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className='muted small'>Shares: {shares.data.shares.map((s) => `${who(names, s.participant, me)} ${percent(s.ppm)}`).join(' · ')}</p>
        </div>
      )}
      {contributions.data !== undefined && (
        <div className='panel'>
          <h2>Ledger</h2>
          {contributions.data.contributions.length === 0 ? <p className='muted'>No contributions recorded in {period}.</p> : (
            <table>
              <thead><tr><th>When</th><th>By</th><th>Summary</th><th>Attestations</th><th>Endorsements</th><th>Disputes</th></tr></thead>
              <tbody>
                {contributions.data.contributions.map((c) => (
                  <tr key={c.id}>
                    <td>{when(new Date(c.ts[0]).toISOString())}</td>
                    <td>{who(names, c.author, me)}</td>
                    <td><Link href={contributionHref(ledger as string, c.id)}>{String((c.body as { summary?: unknown }).summary ?? shortId(c.id))}</Link></td>
                    <td>{c.attestations.length}</td>
                    <td>{c.endorsements.length}</td>
                    <td>{c.disputes.length === 0 ? '—' : <span className='pill bad'>{c.disputes.length}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  )
}
