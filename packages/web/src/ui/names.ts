import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { createContext, useContext } from 'react'
import { call } from '../api.js'
import { shortId } from './format.js'

/** Names of ids as the daemon knows them (`GET /api/v1/names`): aliases, profile names, space names. */
export type Names = Readonly<Record<string, { name: string }>>

/** The names of the identities (and spaces) a page shows, in one request; refreshed when a profile arrives. */
export function useNames (ids: Iterable<string | null | undefined>): Names {
  const list = [...new Set([...ids].filter((id): id is string => typeof id === 'string' && id !== ''))].sort()
  const key = list.join(',')
  return useQuery({
    queryKey: ['names', key],
    queryFn: async ({ signal }) => (await call('names', { query: { ids: key } }, signal)).names,
    enabled: list.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000
  }).data ?? {}
}

/** Names for components deep in a page (board cards), provided once by the page. */
export const NamesContext = createContext<Names>({})

export function usePageNames (): Names {
  return useContext(NamesContext)
}

/** An identity for people: "you", or its name beside its short id (`Ana (…Ka24i)`), or the short id alone. */
export function who (names: Names, id: string | null | undefined, me?: string): string {
  if (id === null || id === undefined || id === '') return ''
  if (id === me) return 'you'
  const name = names[id]?.name
  return name === undefined || name === '' ? shortId(id) : `${name} (${shortId(id)})`
}
