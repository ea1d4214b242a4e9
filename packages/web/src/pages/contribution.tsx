import { useQuery } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { Link } from 'wouter'
import { call, reason } from '../api.js'
import { useMe } from '../ui/hooks.js'
import { shortId, when } from '../ui/format.js'
import { useNames, who } from '../ui/names.js'

const text = (body: unknown, key: string): string | undefined => {
  const v = (body as Record<string, unknown> | null)?.[key]
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined
}

/** One contribution with every entry about it, and its line of the period's shares explanation. */
export function ContributionPage ({ ledger, id }: { ledger: string, id: string }): ReactNode {
  const me = useMe()
  const c = useQuery({
    queryKey: ['ledger', ledger, 'contribution', id],
    queryFn: async ({ signal }) => await call('contribution', { params: { ledger, id } }, signal)
  })
  const period = c.data === undefined ? undefined : text(c.data.body, 'period')
  const shares = useQuery({
    queryKey: ['ledger', ledger, 'shares', period],
    enabled: period !== undefined,
    queryFn: async ({ signal }) => await call('shares', { params: { ledger }, query: { period, explain: 'true' } }, signal)
  })
  const d = c.data
  const line = shares.data?.distribution?.contributions.find((l) => l.id === id)
  const names = useNames(d === undefined
    ? []
    : [d.author, line?.paidTo, d.task?.board, ...d.requested.map((r) => r.reviewer), ...d.reviews.map((r) => r.author), ...d.feedback.map((f) => f.author),
        ...d.endorsements.map((e) => e.author), ...d.outcomes.flatMap((o) => [o.opener, ...o.decidedBy, ...o.resolutions.map((r) => r.author)])])
  const back = <Link href={`/value?ledger=${ledger}`}>← Contributions and value</Link>
  if (c.isError) return <section className='pad page'><p>{back}</p><h1>Contribution</h1><p className='error' role='alert'>{reason(c.error)}</p></section>
  if (d === undefined) return <p className='muted pad'>Loading…</p>
  const summary = text(d.body, 'summary') ?? d.task?.title ?? 'Contribution'
  const evidence = (d.body as { evidence?: unknown }).evidence
  const weights = shares.data?.policy.weights
  return (
    <section className='pad page' data-testid='contribution'>
      <p className='small'>{back}</p>
      <div className='page-head'>
        <h1>{summary}</h1>
        <span className='mono small muted' title={d.id}>{shortId(d.id)}</span>
      </div>
      <div className='grid-2'>
        <div className='panel side'>
          <h2>Contribution</h2>
          <dl>
            <dt>By</dt><dd>{who(names, d.author, me)}</dd>
            <dt>When</dt><dd>{when(new Date(d.ts[0]).toISOString())}</dd>
            <dt>Period</dt><dd>{period ?? '—'}</dd>
            <dt>Kind</dt><dd>{text(d.body, 'kind') ?? '—'}</dd>
            <dt>Effort</dt><dd>{text(d.body, 'effort') ?? '—'}</dd>
            <dt>Task</dt>
            <dd>
              {d.task === null
                ? <span className='muted'>none</span>
                : d.task.board === null
                  ? (d.task.title ?? d.task.task)
                  : <><Link href={`/boards/${d.task.board}/tasks/${d.task.task}`}>{d.task.title ?? d.task.task}</Link> <span className='muted small'>on {names[d.task.board]?.name ?? shortId(d.task.board)}</span></>}
            </dd>
            {Array.isArray(evidence) && evidence.length > 0 && <><dt>Evidence</dt><dd>{evidence.map((e) => <div key={String(e)} className='mono small' style={{ overflowWrap: 'anywhere' }}>{String(e)}</div>)}</dd></>}
            <dt>Endorsed by</dt><dd>{d.endorsements.length === 0 ? <span className='muted'>nobody</span> : d.endorsements.map((e) => who(names, e.author, me)).join(', ')}</dd>
          </dl>
          <h3>Asked to attest</h3>
          {d.requested.length === 0
            ? <p className='muted small'>Nobody was asked (recorded without a task, or the org has no other reviewer).</p>
            : (
              <ul className='plain' data-testid='requested'>
                {d.requested.map((r) => (
                  <li key={r.reviewer}>{who(names, r.reviewer, me)} {r.attested ? <span className={`pill ${r.verdict === 'reject' ? 'bad' : 'good'}`}>attested: {r.verdict}</span> : <span className='pill warn'>not yet</span>}</li>
                ))}
              </ul>
              )}
        </div>
        <div className='panel' data-testid='explanation'>
          <h2>In the shares of {period}</h2>
          {shares.isError && <p className='error' role='alert'>{reason(shares.error)}</p>}
          {shares.data !== undefined && line === undefined && <p className='muted'>Not in this period's distribution.</p>}
          {line !== undefined && (
            <>
              <p>{line.counted ? <span className='pill good'>counted</span> : <span className='pill warn'>not counted{line.reason === undefined ? '' : `: ${line.reason}`}</span>} <span className='muted small'>paid to {who(names, line.paidTo, me)}</span></p>
              <table>
                <thead><tr><th scope='col'>Signal</th><th scope='col'>Value</th><th scope='col'>Weight</th></tr></thead>
                <tbody>
                  <tr><th scope='row'>effort</th><td>{line.effort}</td><td>{weights?.effort}</td></tr>
                  <tr><th scope='row'>quality</th><td>{line.quality} <span className='muted small'>({line.accepts} ✓ {line.rejects} ✗)</span></td><td>{weights?.quality}</td></tr>
                  <tr><th scope='row'>satisfaction</th><td>{line.ratings > 0 ? <>{line.satisfaction} <span className='muted small'>({line.ratings} rating{line.ratings === 1 ? '' : 's'})</span></> : '—'}</td><td>{weights?.satisfaction}</td></tr>
                  <tr><th scope='row'>endorsement</th><td>{line.endorsements}</td><td>{weights?.endorsement}</td></tr>
                </tbody>
              </table>
              <p className='muted small'>Policy v{shares.data?.policy.version}{shares.data?.policy.default === true ? ' (default)' : ''} · at least {shares.data?.policy.minAttestations} attestation{shares.data?.policy.minAttestations === 1 ? '' : 's'} to count</p>
            </>
          )}
        </div>
      </div>

      <div className='panel'>
        <h2>Attestations</h2>
        {d.reviews.length === 0 ? <p className='muted'>No attestation yet.</p> : (
          <table data-testid='attestations'>
            <thead><tr><th scope='col'>By</th><th scope='col'>Verdict</th><th scope='col'>Quality</th><th scope='col'>Note</th><th scope='col'>When</th></tr></thead>
            <tbody>
              {d.reviews.map((r) => (
                <tr key={r.id}>
                  <td>{who(names, r.author, me)}</td>
                  <td><span className={`pill ${r.verdict === 'accept' ? 'good' : 'bad'}`}>{r.verdict}</span></td>
                  <td>{r.quality}</td>
                  <td>{r.note === '' ? <span className='muted'>—</span> : r.note}</td>
                  <td className='small'>{when(r.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>

      <div className='panel'>
        <h2>Consumers' feedback</h2>
        {d.feedback.length === 0 ? <p className='muted'>No rating of its task yet.</p> : (
          <table data-testid='feedback'>
            <thead><tr><th scope='col'>By</th><th scope='col'>Satisfaction</th><th scope='col'>Comment</th><th scope='col'>When</th></tr></thead>
            <tbody>
              {d.feedback.map((f) => (
                <tr key={f.id}>
                  <td>{who(names, f.author, me)}</td>
                  <td>{f.satisfaction}/5</td>
                  <td>{f.note ?? <span className='muted'>—</span>}</td>
                  <td className='small'>{when(f.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>

      <div className='panel'>
        <h2>Disputes</h2>
        {d.outcomes.length === 0 ? <p className='muted'>Nobody disputed it.</p> : (
          <ul className='comments' data-testid='disputes'>
            {d.outcomes.map((o) => (
              <li key={o.id} data-testid='dispute' data-status={o.status}>
                <div>
                  <span className={`pill ${o.status === 'open' ? 'warn' : o.status === 'upheld' ? 'bad' : 'good'}`}>{o.status}{o.void ? ', voided' : ''}</span>
                  {' '}<strong>{who(names, o.opener, me)}</strong>: {o.reason} <span className='muted small'>· {when(o.at)}</span>
                </div>
                {o.status !== 'open' && <div className='small'>Decided by {o.decidedBy.map((p) => who(names, p, me)).join(' and ')}</div>}
                {o.resolutions.map((r) => (
                  <div key={r.id} className='small muted'>
                    Resolution by {who(names, r.author, me)}: {r.outcome}{r.void ? ' (void)' : ''}{r.note === '' ? '' : ` — ${r.note}`} · {when(r.at)}
                  </div>
                ))}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  )
}
