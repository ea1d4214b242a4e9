import { useState, type ReactNode } from 'react'
import { pickFromUrl, setUrlPick } from './hooks.js'

/** A select over spaces of one kind, remembered in the URL. */
export function usePicker (key: string, items: Array<{ id: string, name: string }>): [string | undefined, ReactNode] {
  const [picked, setPicked] = useState<string>()
  const current = picked !== undefined && items.some((i) => i.id === picked) ? picked : pickFromUrl(key, items.map((i) => i.id))
  const control = items.length <= 1 ? null : (
    <>
      <label className='sr-only' htmlFor={`pick-${key}`}>Choose</label>
      <select id={`pick-${key}`} value={current} onChange={(e) => { setPicked(e.target.value); setUrlPick(key, e.target.value) }}>
        {items.map((i) => <option key={i.id} value={i.id}>{i.name}</option>)}
      </select>
    </>
  )
  return [current, control]
}
