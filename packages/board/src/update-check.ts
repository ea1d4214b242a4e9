import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { InvalidUpdateError } from './errors.js'

/** The largest Yjs update a `board/update` entry may carry. */
export const MAX_UPDATE_BYTES = 512 * 1024
/** Nesting bound for `ContentAny` values; a board stores flat records, two or three levels deep. */
const MAX_ANY_DEPTH = 32
/** Yjs type refs: YArray, YMap, YText, YXmlElement, YXmlFragment, YXmlHook, YXmlText. */
const MAX_TYPE_REF = 6
const GC_INFO = 0
const SKIP_INFO = 10
const CONTENT_DOC = 9

/** What a well-formed update holds; `structsEnd` is where its delete set begins. */
export interface UpdateShape {
  clients: number
  structs: number
  deleteRanges: number
  structsEnd: number
}

const utf8 = new TextDecoder()

/**
 * Reads an update with every count and length bounded by the bytes left, so it finishes in time
 * linear in the update's size. Yjs's own readers do not check: `readUint8` past the end returns
 * undefined, struct loops run to a count taken from the buffer, and `readUint8Array` builds a view
 * on the underlying ArrayBuffer, which for a body decoded from an entry extends past the update.
 */
class BoundedReader {
  private readonly decoder: decoding.Decoder
  private readonly end: number

  constructor (bytes: Uint8Array) {
    this.decoder = decoding.createDecoder(bytes)
    this.end = bytes.byteLength
  }

  get left (): number {
    return this.end - this.decoder.pos
  }

  get pos (): number {
    return this.decoder.pos
  }

  uint (what: string): number {
    if (this.left <= 0) throw new InvalidUpdateError(`truncated update: ${what}`)
    return decoding.readVarUint(this.decoder)
  }

  /** A count of items each at least `unit` bytes long, bounded by what is left. */
  count (what: string, unit = 1): number {
    const n = this.uint(what)
    if (n * unit > this.left) throw new InvalidUpdateError(`${what} of ${n} exceeds the ${this.left} bytes left`)
    return n
  }

  byte (what: string): number {
    if (this.left <= 0) throw new InvalidUpdateError(`truncated update: ${what}`)
    return decoding.readUint8(this.decoder)
  }

  skip (n: number, what: string): void {
    if (n > this.left) throw new InvalidUpdateError(`truncated update: ${what}`)
    this.decoder.pos += n
  }

  bytes (what: string): Uint8Array {
    const n = this.count(what)
    const view = this.decoder.arr.subarray(this.decoder.pos, this.decoder.pos + n)
    this.decoder.pos += n
    return view
  }

  string (what: string): string {
    return utf8.decode(this.bytes(what))
  }

  varInt (what: string): void {
    if (this.left <= 0) throw new InvalidUpdateError(`truncated update: ${what}`)
    decoding.readVarInt(this.decoder)
  }
}

/**
 * Checks that bytes are one well-formed Yjs update (v1 encoding), in bounded time, before anything
 * is applied: every count is bounded by the bytes left, lengths are positive, clocks stay safe
 * integers, no bytes trail, and Yjs's own decoder accepts it. Subdocuments (`ContentDoc`) are
 * refused: a board has none. `maxBytes` defaults to what an entry may carry (a snapshot is
 * larger). Throws InvalidUpdateError; returns the update's shape.
 */
export function checkUpdate (update: Uint8Array, maxBytes = MAX_UPDATE_BYTES): UpdateShape {
  decodes++
  const shape = checkUpdateBounds(update, maxBytes)
  try {
    Y.decodeUpdate(update)
  } catch (err) {
    throw asInvalid(err)
  }
  return shape
}

/**
 * The bounded half of `checkUpdate`, without Yjs's own decode: enough that applying the bytes
 * ends in bounded time, for bytes this node wrote itself and applies where a failure is undone
 * (the replica's snapshot: decoding 10,000 tasks twice doubled the heap's peak at start).
 */
export function checkUpdateBounds (update: Uint8Array, maxBytes = MAX_UPDATE_BYTES): UpdateShape {
  if (!(update instanceof Uint8Array)) throw new InvalidUpdateError('an update is a byte string')
  if (update.byteLength === 0) throw new InvalidUpdateError('empty update')
  if (update.byteLength > maxBytes) throw new InvalidUpdateError(`update of ${update.byteLength} bytes exceeds ${maxBytes}`)
  try {
    return readShape(new BoundedReader(update))
  } catch (err) {
    throw asInvalid(err)
  }
}

/** Buffers that passed `checkUpdate` (an entry's bytes, shared by the log, its authorizers and the replica). */
const checked = new WeakSet<Uint8Array>()
let decodes = 0

/**
 * `checkUpdate` at most once per buffer: an entry's update is checked by the log's authorizers
 * as it arrives, and the replica that applies the same entry then does not decode it again.
 */
export function checkUpdateOnce (update: Uint8Array): void {
  if (update instanceof Uint8Array && checked.has(update)) return
  checkUpdate(update)
  checked.add(update)
}

/** How many updates `checkUpdate` has decoded in this process (a diagnostic for tests and benchmarks). */
export function updateDecodes (): number {
  return decodes
}

/** The struct section of an update this process encoded itself: how many structs and where it ends. */
export function structSection (update: Uint8Array): UpdateShape {
  try {
    return readShape(new BoundedReader(update))
  } catch (err) {
    throw asInvalid(err)
  }
}

function asInvalid (err: unknown): InvalidUpdateError {
  if (err instanceof InvalidUpdateError) return err
  return new InvalidUpdateError(`malformed update: ${(err as Error)?.message ?? String(err)}`)
}

function readShape (r: BoundedReader): UpdateShape {
  // Each client section holds at least a struct count, a client id, a clock and one struct.
  const clients = r.count('client count', 4)
  const seen = new Set<number>()
  let structs = 0
  for (let c = 0; c < clients; c++) {
    const n = r.count('struct count')
    if (n === 0) throw new InvalidUpdateError('a client section without structs')
    const client = r.uint('client id')
    // Yjs keeps one section per client and would silently drop the first of two.
    if (seen.has(client)) throw new InvalidUpdateError(`client ${client} appears twice`)
    seen.add(client)
    let clock = r.uint('clock')
    for (let i = 0; i < n; i++) {
      clock += readStruct(r, client, clock)
      if (clock > Number.MAX_SAFE_INTEGER) throw new InvalidUpdateError('clock out of range')
    }
    structs += n
  }
  const structsEnd = r.pos
  const deleteRanges = readDeleteSet(r)
  if (r.left !== 0) throw new InvalidUpdateError(`${r.left} bytes trail the update`)
  return { clients, structs, deleteRanges, structsEnd }
}

/** Reads one struct of `client` at `clock`; returns its length in clock units (at least 1). */
function readStruct (r: BoundedReader, client: number, clock: number): number {
  const info = r.byte('struct info')
  if (info === GC_INFO || info === SKIP_INFO) return positive(r.uint('struct length'), 'struct length')
  const ref = info & 0x1f
  // Yjs's two readers disagree on infos with a Skip or GC ref and extra bits; neither is ever written.
  if (ref === GC_INFO || ref >= SKIP_INFO) throw new InvalidUpdateError(`unknown struct info ${info}`)
  if (ref === CONTENT_DOC) throw new InvalidUpdateError('subdocuments are not allowed on a board')
  if ((info & 0x80) !== 0) readId(r, 'origin', client, clock)
  if ((info & 0x40) !== 0) readId(r, 'right origin', client, clock)
  if ((info & 0xc0) === 0) {
    const parentInfo = r.uint('parent info')
    if (parentInfo === 1) r.string('root type name')
    else if (parentInfo === 0) readId(r, 'parent', client, clock)
    else throw new InvalidUpdateError(`unknown parent info ${parentInfo}`)
    if ((info & 0x20) !== 0) r.string('parent key')
  }
  return readContent(r, ref)
}

/**
 * An item's origin, right origin or parent. Yjs waits for a missing struct of another client,
 * but trusts one of the item's own client to be there already; a reference at or past the item
 * itself makes its integration read past the client's structs and throw midway, after part of
 * the update is applied.
 */
function readId (r: BoundedReader, what: string, client: number, clock: number): void {
  const refClient = r.uint(`${what} client`)
  const refClock = r.uint(`${what} clock`)
  if (refClient === client && refClock >= clock) throw new InvalidUpdateError(`${what} ${refClient}:${refClock} is not before the item at ${clock}`)
}

function readContent (r: BoundedReader, ref: number): number {
  switch (ref) {
    case 1: // ContentDeleted
      return positive(r.uint('deleted length'), 'deleted length')
    case 2: { // ContentJSON
      const n = positive(r.count('json values'), 'json values')
      for (let i = 0; i < n; i++) r.bytes('json value')
      return n
    }
    case 3: // ContentBinary
      r.bytes('binary content')
      return 1
    case 4: // ContentString: its length is counted in UTF-16 code units, as Yjs counts it
      return positive(r.string('string content').length, 'string length')
    case 5: // ContentEmbed
      r.bytes('embed')
      return 1
    case 6: // ContentFormat
      r.bytes('format key')
      r.bytes('format value')
      return 1
    case 7: { // ContentType
      const typeRef = r.uint('type ref')
      if (typeRef > MAX_TYPE_REF) throw new InvalidUpdateError(`unknown type ref ${typeRef}`)
      if (typeRef === 3 || typeRef === 5) r.bytes('xml name')
      return 1
    }
    case 8: { // ContentAny
      const n = positive(r.count('values'), 'values')
      for (let i = 0; i < n; i++) readAny(r, 0)
      return n
    }
    default:
      throw new InvalidUpdateError(`unknown content ref ${ref}`)
  }
}

/** lib0's `writeAny` format (tags 127 down to 116). */
function readAny (r: BoundedReader, depth: number): void {
  if (depth > MAX_ANY_DEPTH) throw new InvalidUpdateError('value nested too deeply')
  const tag = r.byte('value tag')
  switch (tag) {
    case 127: case 126: case 121: case 120: return
    case 125: r.varInt('integer'); return
    case 124: r.skip(4, 'float32'); return
    case 123: r.skip(8, 'float64'); return
    case 122: r.skip(8, 'bigint'); return
    case 119: r.bytes('string'); return
    case 118: {
      const n = r.count('object size', 2)
      for (let i = 0; i < n; i++) {
        r.bytes('object key')
        readAny(r, depth + 1)
      }
      return
    }
    case 117: {
      const n = r.count('array size')
      for (let i = 0; i < n; i++) readAny(r, depth + 1)
      return
    }
    case 116: r.bytes('bytes'); return
    default:
      throw new InvalidUpdateError(`unknown value tag ${tag}`)
  }
}

function readDeleteSet (r: BoundedReader): number {
  const clients = r.count('delete set clients', 2)
  let ranges = 0
  for (let c = 0; c < clients; c++) {
    r.uint('delete set client')
    const n = r.count('delete ranges', 2)
    for (let i = 0; i < n; i++) {
      const clock = r.uint('delete clock')
      const len = positive(r.uint('delete length'), 'delete length')
      if (clock + len > Number.MAX_SAFE_INTEGER) throw new InvalidUpdateError('delete range out of range')
    }
    ranges += n
  }
  return ranges
}

function positive (n: number, what: string): number {
  if (n < 1) throw new InvalidUpdateError(`${what} must be positive`)
  return n
}
