import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InboxItem } from '@mutual/client'
import type { ReactNode } from 'react'
import { Link } from 'wouter'
import { contributionHref } from './links.js'
import { call, reason } from '../api.js'
import { when } from './format.js'

const KIND_LABELS: Record<InboxItem['kind'], string> = {
  'task.assigned': 'Assigned',
  'claim.won': 'Claim won',
  'claim.lost': 'Claim lost',
  'claim.contested': 'Claim contested',
  'application.received': 'Application',
  'application.accepted': 'Accepted',
  'application.declined': 'Declined',
  'attestation.requested': 'Attest',
  'dispute.opened': 'Dispute',
  'dispute.resolved': 'Dispute resolved',
  mention: 'Mention'
}

/** Where an item leads: its task, else its market, else its ledger. */
function linkOf (item: InboxItem): string | undefined {
  if (item.board !== undefined && item.task !== undefined && (item.kind.startsWith('claim') || item.kind === 'mention' || item.kind === 'task.assigned')) return `/boards/${item.board}/tasks/${item.task}`
  if (item.kind.startsWith('application')) return `/market?market=${item.space}`
  if (item.contribution !== undefined && (item.kind.startsWith('dispute') || item.kind === 'attestation.requested')) return contributionHref(item.space, item.contribution)
  if (item.kind.startsWith('dispute') || item.kind === 'attestation.requested') return `/value?ledger=${item.space}`
  return undefined
}

/** The inbox: what needs this node's person, newest first, each with a link and a way to mark it read. */
export function Inbox (): ReactNode {
  const queries = useQueryClient()
  const inbox = useQuery({ queryKey: ['inbox', 'list'], queryFn: async ({ signal }) => await call('inbox', { query: {} }, signal) })
  const mark = useMutation({
    mutationFn: async (body: { ids: string[] } | { all: true }) => await call('markRead', { body }),
    onSettled: async () => { await queries.invalidateQueries({ queryKey: ['inbox'] }) }
  })
  const items = inbox.data?.items ?? []
  return (
    <section className='inbox' aria-labelledby='inbox-heading' id='inbox'>
      <div className='page-head'>
        <div className='inbox-head'>
          <h2 id='inbox-heading'>Inbox</h2>
          <span className='muted' data-testid='inbox-summary'>{inbox.data === undefined ? '' : `${inbox.data.unread} unread of ${inbox.data.total}`}</span>
        </div>
        <button type='button' className='small' disabled={(inbox.data?.unread ?? 0) === 0 || mark.isPending} onClick={() => { mark.mutate({ all: true }) }}>Mark all read</button>
      </div>
      {mark.isError && <p className='error' role='alert'>{reason(mark.error)}</p>}
      {inbox.isError && <p className='error' role='alert'>{reason(inbox.error)}</p>}
      {inbox.data !== undefined && items.length === 0 && <p className='empty'>Nothing needs you. Claims, applications, disputes and @mentions of you arrive here.</p>}
      {items.length > 0 && (
        <ul className='inbox-list'>
          {items.map((item) => {
            const href = linkOf(item)
            return (
              <li key={item.id} className={item.read ? 'inbox-item' : 'inbox-item unread'} data-testid='inbox-item' data-kind={item.kind}>
                <span className={`pill${item.kind.endsWith('lost') || item.kind.endsWith('declined') || item.kind === 'dispute.opened' ? ' bad' : item.kind.endsWith('won') || item.kind.endsWith('accepted') ? ' good' : ''}`}>{KIND_LABELS[item.kind]}</span>
                <span className='inbox-text'>
                  {href === undefined ? item.text : <Link href={href}>{item.text}</Link>}
                  <span className='muted small'> · {when(item.at)}</span>
                </span>
                {item.read
                  ? <span className='muted small'>read</span>
                  : <button type='button' className='small' aria-label={`Mark read: ${item.text}`} disabled={mark.isPending} onClick={() => { mark.mutate({ ids: [item.id] }) }}>Mark read</button>}
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
