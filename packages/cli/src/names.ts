import { isIdentityId, parseCid } from '@mutual/protocol'
import type { Client } from './client.js'
import type { Context } from './context.js'
import type { Names } from './format.js'
import type { Style } from './output.js'

/** At most this many ids are named per command (one request). */
const MAX_IDS = 500

/** The identity and space ids anywhere in a result, in order of appearance. */
export function idsIn (value: unknown, found = new Set<string>()): Set<string> {
  if (found.size >= MAX_IDS) return found
  if (typeof value === 'string') {
    if (value.length <= 128 && (isIdentityId(value) || parseCid(value) !== undefined)) found.add(value)
  } else if (Array.isArray(value)) {
    for (const v of value) idsIn(v, found)
  } else if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) idsIn(v, found)
  }
  return found
}

/**
 * Prints a command's result, for people with names beside the ids in it: one `GET /api/v1/names`
 * for every id the result holds, handed to `human`. With --json the result is printed as it is,
 * without asking.
 */
export async function showNamed<T> (ctx: Context, client: Client, result: T, human: (style: Style, names: Names) => string): Promise<void> {
  if (ctx.out.json) {
    ctx.out.result(result, () => '')
    return
  }
  const ids = [...idsIn(result)]
  const names = ids.length === 0 ? {} : (await client.call('names', { query: { ids: ids.join(',') } }, { signal: ctx.signal })).names
  ctx.out.result(result, (style) => human(style, names))
}
