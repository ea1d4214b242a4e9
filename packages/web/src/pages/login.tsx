import { useEffect, useRef, useState, type ReactNode } from 'react'
import { logIn, reason } from '../api.js'

const HOW = 'npx --yes pnpm@10 mutual open'

function Card ({ title, children }: { title: string, children: ReactNode }): ReactNode {
  return (
    <main className='login'>
      <section className='login-card'>
        <img src='/favicon.svg' alt='' width={40} height={40} />
        <h1>{title}</h1>
        {children}
      </section>
    </main>
  )
}

/** Shown without a session: how to get a login link. */
export function LoggedOut (): ReactNode {
  return (
    <Card title='Log in to Mutual'>
      <p>This page needs a login link from your daemon. In a terminal on this machine, run</p>
      <pre className='command'>{HOW}</pre>
      <p className='muted'>It prints a link that works once; open it here.</p>
    </Card>
  )
}

/** `/login#code=…`: trades the one-time code for the session cookie, then goes to the boards. */
export function LoginPage (): ReactNode {
  const [error, setError] = useState<unknown>()
  const started = useRef(false)
  useEffect(() => {
    if (started.current) return
    started.current = true
    const code = new URLSearchParams(location.hash.slice(1)).get('code') ?? ''
    // The code leaves the address bar at once: it is spent either way.
    history.replaceState(null, '', '/login')
    logIn(code).then(() => { location.replace('/') }, setError)
  }, [])
  if (error === undefined) return <Card title='Logging in…'><p className='muted'>Trading the login link for a session.</p></Card>
  return (
    <Card title='This login link does not work'>
      <p role='alert' data-testid='login-error'>{reason(error)}</p>
      <p>A link works once and for five minutes. For a new one, run</p>
      <pre className='command'>{HOW}</pre>
    </Card>
  )
}
