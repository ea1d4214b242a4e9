import { CID, type SignedEntry } from '@mutual/protocol'
import type { Entry } from '../contract/index.js'
import { InvalidRequestError } from '../errors.js'

/** An entry as the API shows it (the contract's Entry): ids as strings, bytes as base64. */
export type EntryJson = Entry

export function entryToJson (signed: SignedEntry): EntryJson {
  const { entry } = signed
  const json: EntryJson = {
    id: signed.id.toString(),
    space: signed.space,
    author: entry.author,
    seq: entry.seq,
    prev: entry.prev === null ? null : entry.prev.toString(),
    ts: [entry.ts[0], entry.ts[1]],
    type: entry.type,
    body: toJson(entry.body)
  }
  if (entry.refs !== undefined) json.refs = entry.refs.map((r) => r.toString())
  return json
}

/** A DAG-CBOR value as JSON: CIDs become their string form, byte strings base64. */
export function toJson (value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
  const cid = CID.asCID(value)
  if (cid != null) return cid.toString()
  if (Array.isArray(value)) return value.map(toJson)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v)
    return out
  }
  return value
}

const MAX_DEPTH = 64

/**
 * Checks that a parsed JSON body can be encoded as DAG-CBOR unchanged: only plain JSON values,
 * integers within the safe range (larger ones lost precision when the JSON was parsed), and a
 * bounded depth. Returns the same value, except that a byte string written as DAG-JSON writes it,
 * `{ "/": { "bytes": "<base64>" } }`, becomes bytes (a `board/update` carries one); record schemas
 * then check its shape.
 */
export function fromJson (value: unknown, path = 'body', depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new InvalidRequestError(`${path}: nested deeper than ${MAX_DEPTH} levels`)
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidRequestError(`${path}: not a finite number`)
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) throw new InvalidRequestError(`${path}: integer beyond 2^53 loses precision in JSON`)
      return value
    case 'object': {
      if (value === null) return null
      if (Array.isArray(value)) return value.map((v, i) => fromJson(v, `${path}.${i}`, depth + 1))
      if (Object.getPrototypeOf(value) !== Object.prototype) throw new InvalidRequestError(`${path}: not a plain JSON object`)
      const bytes = dagJsonBytes(value as Record<string, unknown>, path)
      if (bytes !== undefined) return bytes
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined) continue
        Object.defineProperty(out, k, { value: fromJson(v, `${path}.${k}`, depth + 1), enumerable: true, writable: true, configurable: true })
      }
      return out
    }
    default:
      throw new InvalidRequestError(`${path}: ${typeof value} is not a JSON value`)
  }
}

/** The bytes of a DAG-JSON byte string `{ "/": { "bytes": "<base64, padding optional>" } }`, else undefined. */
function dagJsonBytes (value: Record<string, unknown>, path: string): Uint8Array | undefined {
  const keys = Object.keys(value)
  if (keys.length !== 1 || keys[0] !== '/') return undefined
  const inner = value['/'] as Record<string, unknown> | null
  if (inner === null || typeof inner !== 'object' || Array.isArray(inner) || Object.keys(inner).length !== 1 || typeof inner.bytes !== 'string') return undefined
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(inner.bytes)) throw new InvalidRequestError(`${path}: DAG-JSON bytes must be base64`)
  return new Uint8Array(Buffer.from(inner.bytes, 'base64'))
}
