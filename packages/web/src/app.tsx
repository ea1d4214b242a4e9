import { useQuery, useQueryClient } from '@tanstack/react-query'
import { lazy, Suspense, useEffect, type ReactNode } from 'react'
import { Link, Route, Switch, useLocation } from 'wouter'
import { call, hasSession, isLoggedOut, logOut } from './api.js'
import { followEvents, useConnection } from './live.js'
import { BoardsPage } from './pages/boards.js'
import { BoardPage } from './pages/board.js'
import { LoginPage, LoggedOut } from './pages/login.js'
import { shortId } from './ui/format.js'
import { useNames } from './ui/names.js'

const TaskPage = lazy(async () => ({ default: (await import('./pages/task.js')).TaskPage }))
const MyWorkPage = lazy(async () => ({ default: (await import('./pages/my-work.js')).MyWorkPage }))
const MarketPage = lazy(async () => ({ default: (await import('./pages/market.js')).MarketPage }))
const OrgPage = lazy(async () => ({ default: (await import('./pages/org.js')).OrgPage }))
const ValuePage = lazy(async () => ({ default: (await import('./pages/value.js')).ValuePage }))
const ContributionPage = lazy(async () => ({ default: (await import('./pages/contribution.js')).ContributionPage }))
const NetworkPage = lazy(async () => ({ default: (await import('./pages/network.js')).NetworkPage }))

const NAV: Array<[string, string]> = [
  ['/', 'Boards'],
  ['/mine', 'My work'],
  ['/market', 'Market'],
  ['/orgs', 'Organization'],
  ['/value', 'Value'],
  ['/network', 'Network']
]

function Banner (): ReactNode {
  const connection = useConnection()
  if (connection !== 'retrying') return null
  return (
    <div className='banner' role='alert' data-testid='offline-banner'>
      <strong>The daemon is not answering.</strong> Reconnecting by itself; changes you make now are not saved.
    </div>
  )
}

/** The unread count, kept live by the event stream (`inbox.item` marks it stale). */
function InboxBadge (): ReactNode {
  const count = useQuery({ queryKey: ['inbox', 'count'], queryFn: async ({ signal }) => await call('inboxCount', {}, signal) })
  const unread = count.data?.unread ?? 0
  return (
    <Link href='/mine#inbox' className='inbox-link' data-testid='inbox-count' data-unread={unread}>
      Inbox{unread > 0 && <span className='badge'>{unread}</span>}<span className='sr-only'>{unread > 0 ? ' unread' : ', nothing unread'}</span>
    </Link>
  )
}

function Header (): ReactNode {
  const [location] = useLocation()
  const me = useQuery({ queryKey: ['me'], queryFn: async ({ signal }) => await call('id', {}, signal) })
  const names = useNames([me.data?.id])
  const active = (href: string): boolean => href === '/' ? location === '/' || location.startsWith('/boards') : location.startsWith(href)
  return (
    <header className='top'>
      <Link href='/' className='brand' aria-label='Mutual, boards'>
        <img src='/favicon.svg' alt='' width={22} height={22} /> Mutual
      </Link>
      <nav aria-label='Main'>
        {NAV.map(([href, label]) => (
          <Link key={href} href={href} className={active(href) ? 'nav active' : 'nav'} aria-current={active(href) ? 'page' : undefined}>{label}</Link>
        ))}
      </nav>
      <InboxBadge />
      <span className='me' title={me.data?.id}>{me.data === undefined ? '' : `you · ${names[me.data.id]?.name ?? shortId(me.data.id)}`}</span>
      <button type='button' className='link small' onClick={() => { logOut().then(() => { window.location.replace('/') }, () => { window.location.replace('/') }) }}>Log out</button>
    </header>
  )
}

function Shell (): ReactNode {
  const queries = useQueryClient()
  const connection = useConnection()
  useEffect(() => {
    const controller = new AbortController()
    followEvents(queries, controller.signal)
    return () => { controller.abort() }
  }, [queries])
  const probe = useQuery({ queryKey: ['me'], queryFn: async ({ signal }) => await call('id', {}, signal) })
  if (connection === 'logged-out' || isLoggedOut(probe.error)) return <LoggedOut />
  return (
    <>
      <Header />
      <Banner />
      <main id='main'>
        <Suspense fallback={<p className='muted pad'>Loading…</p>}>
          <Switch>
            <Route path='/' component={BoardsPage} />
            <Route path='/boards/:board'>{(p) => <BoardPage board={p.board} />}</Route>
            <Route path='/boards/:board/tasks/:task'>{(p) => <TaskPage board={p.board} task={p.task} />}</Route>
            <Route path='/mine' component={MyWorkPage} />
            <Route path='/market' component={MarketPage} />
            <Route path='/orgs' component={OrgPage} />
            <Route path='/value' component={ValuePage} />
            <Route path='/value/:ledger/contributions/:id'>{(p) => <ContributionPage ledger={p.ledger} id={p.id} />}</Route>
            <Route path='/network' component={NetworkPage} />
            <Route><section className='pad'><h1>Not found</h1><p>No page here. <Link href='/'>Back to the boards</Link>.</p></section></Route>
          </Switch>
        </Suspense>
      </main>
    </>
  )
}

export function App (): ReactNode {
  const [location] = useLocation()
  if (location === '/login') return <LoginPage />
  if (!hasSession()) return <LoggedOut />
  return <Shell />
}
