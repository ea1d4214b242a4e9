import { createHash } from 'node:crypto'
import { encode } from '@mutual/protocol'
import type { Distribution } from './distribution.js'

/**
 * The canonical DAG-CBOR bytes of a distribution: what a settlement's hash covers. A
 * distribution holds only plain objects, arrays, strings, booleans and safe integers, so it is
 * written by a small canonical encoder made for that shape (the general DAG-CBOR encoder spent
 * most of a large distribution's time re-sorting every map's keys); the bytes are the same, and
 * anything outside that shape falls back to the general encoder.
 */
export function encodeDistribution (distribution: Distribution): Uint8Array {
  const writer = new Writer()
  try {
    writer.value(distribution, 0)
  } catch (err) {
    if (err instanceof Unsupported) return encode(distribution)
    throw err
  }
  return writer.bytes()
}

/** sha-256 of `encodeDistribution(distribution)`. */
export function distributionDigest (distribution: Distribution): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash('sha256').update(encodeDistribution(distribution)).digest())
}

/** sha-256 of `encodeDistribution(distribution)`, in lowercase hex. */
export function distributionHash (distribution: Distribution): string {
  return toHex(distributionDigest(distribution))
}

export function toHex (bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

class Unsupported extends Error {}

const MAX_DEPTH = 64

/** DAG-CBOR map key order: shorter keys first, then bytewise (keys here are ASCII). */
function keyOrder (a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)
}

/** A canonical DAG-CBOR writer for plain objects, arrays, strings, booleans and safe integers. */
class Writer {
  private buf = Buffer.allocUnsafe(1 << 16)
  private pos = 0
  private readonly orders = new Map<string, string[]>()

  bytes (): Uint8Array {
    return new Uint8Array(this.buf.buffer.slice(this.buf.byteOffset, this.buf.byteOffset + this.pos))
  }

  private room (n: number): void {
    if (this.pos + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.pos + n) size *= 2
    const next = Buffer.allocUnsafe(size)
    this.buf.copy(next, 0, 0, this.pos)
    this.buf = next
  }

  private head (major: number, n: number): void {
    this.room(9)
    const m = major << 5
    if (n < 24) {
      this.buf[this.pos++] = m | n
    } else if (n < 0x100) {
      this.buf[this.pos++] = m | 24
      this.buf[this.pos++] = n
    } else if (n < 0x10000) {
      this.buf[this.pos++] = m | 25
      this.buf.writeUInt16BE(n, this.pos)
      this.pos += 2
    } else if (n < 0x100000000) {
      this.buf[this.pos++] = m | 26
      this.buf.writeUInt32BE(n, this.pos)
      this.pos += 4
    } else {
      this.buf[this.pos++] = m | 27
      this.buf.writeUInt32BE(Math.floor(n / 0x100000000), this.pos)
      this.buf.writeUInt32BE(n >>> 0, this.pos + 4)
      this.pos += 8
    }
  }

  private string (s: string): void {
    const n = Buffer.byteLength(s, 'utf8')
    this.head(3, n)
    this.room(n)
    this.pos += this.buf.write(s, this.pos, 'utf8')
  }

  value (v: unknown, depth: number): void {
    if (depth > MAX_DEPTH) throw new Unsupported()
    switch (typeof v) {
      case 'string':
        this.string(v)
        return
      case 'number':
        if (!Number.isSafeInteger(v)) throw new Unsupported()
        if (v >= 0) this.head(0, v)
        else this.head(1, -1 - v)
        return
      case 'boolean':
        this.room(1)
        this.buf[this.pos++] = v ? 0xf5 : 0xf4
        return
      case 'object': {
        if (v === null) {
          this.room(1)
          this.buf[this.pos++] = 0xf6
          return
        }
        if (Array.isArray(v)) {
          this.head(4, v.length)
          for (const item of v) this.value(item, depth + 1)
          return
        }
        if (Object.getPrototypeOf(v) !== Object.prototype) throw new Unsupported()
        const obj = v as Record<string, unknown>
        const keys = Object.keys(obj)
        const shape = keys.join('\0')
        let order = this.orders.get(shape)
        if (order === undefined) {
          for (const k of keys) if (!/^[\x20-\x7e]*$/.test(k)) throw new Unsupported()
          this.orders.set(shape, order = [...keys].sort(keyOrder))
        }
        this.head(5, order.length)
        for (const k of order) {
          const item = obj[k]
          if (item === undefined) throw new Unsupported()
          this.string(k)
          this.value(item, depth + 1)
        }
        return
      }
      default:
        throw new Unsupported()
    }
  }
}
