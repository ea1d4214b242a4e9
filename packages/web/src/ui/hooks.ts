import { useQuery } from '@tanstack/react-query'
import { call } from '../api.js'

/** This node's identity id: "you" on cards and lists. */
export function useMe (): string | undefined {
  return useQuery({ queryKey: ['me'], queryFn: async ({ signal }) => await call('id', {}, signal) }).data?.id
}

/** The picked item of a list kept in the URL's query (`?org=…`), so each view has its own address. */
export function pickFromUrl (key: string, ids: string[]): string | undefined {
  const wanted = new URLSearchParams(location.search).get(key)
  return wanted !== null && ids.includes(wanted) ? wanted : ids[0]
}

export function setUrlPick (key: string, value: string): void {
  const params = new URLSearchParams(location.search)
  params.set(key, value)
  history.replaceState(null, '', `${location.pathname}?${params.toString()}`)
}
