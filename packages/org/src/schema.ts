import { z } from 'zod'
import { CID, encode, parseCid } from '@mutual/protocol'

/** A space id: the string form of its genesis CID. */
export const spaceIdSchema = z.string().max(128).refine((s) => parseCid(s) !== undefined, 'not a space id')

/**
 * An author's log heads as someone saw them: `[space, seq]` pairs, at most one per space. Entries
 * with seq at or below a head count; later ones, or any in a space not named, do not.
 */
export const headsSchema = z.array(z.tuple([spaceIdSchema, z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)]))
  .max(512)
  .refine((heads) => new Set(heads.map(([space]) => space)).size === heads.length, 'a space named twice')
export type Heads = Array<[space: string, seq: number]>

/** A milliseconds time stamp. */
export const millisSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)

/** A list without repeats. */
export function uniqueList<T extends z.ZodType> (item: T, max: number): z.ZodType<Array<z.infer<T>>> {
  return z.array(item).max(max).refine((list) => new Set(list).size === list.length, 'repeated item') as unknown as z.ZodType<Array<z.infer<T>>>
}

/** Any DAG-CBOR map (not a list, CID or byte string) whose encoding is at most `max` bytes. */
export function opaqueMap (max: number): z.ZodType<Record<string, unknown>> {
  return z.custom<Record<string, unknown>>((value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
    if (value instanceof Uint8Array || CID.asCID(value) != null) return false
    try {
      return encode(value).byteLength <= max
    } catch {
      return false
    }
  }, `not a DAG-CBOR map of at most ${max} bytes`)
}
