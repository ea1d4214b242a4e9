import '@fontsource-variable/inter'
import './styles.css'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app.js'

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      // The event stream says when something changed; no polling, no refetch on focus.
      staleTime: Infinity,
      refetchOnWindowFocus: false,
      retry: (count, err) => count < 2 && (err as { name?: string }).name === 'DaemonUnreachableError'
    }
  }
})

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <App />
    </QueryClientProvider>
  </StrictMode>
)
