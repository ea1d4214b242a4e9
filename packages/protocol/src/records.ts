import { z } from 'zod'
import { CID } from './encoding.js'
import { isIdentityId } from './identity.js'
import { profileRecordType } from './profile.js'
import { BodySchemaError, BodyTooLargeError, UnknownTypeError } from './errors.js'

/**
 * A record type: the schema its body must match and the largest encoded entry it may travel in.
 * Applications (board, org, ledger) register their own types into a registry they pass down.
 */
export interface RecordType<B = unknown> {
  readonly type: string
  readonly schema: z.ZodType<B>
  /** bound on the whole encoded entry carrying this type, in bytes */
  readonly maxEntryBytes: number
  /** a rule tying the body to the entry's author (a profile names its own author); throws a named ProtocolError */
  readonly checkAuthor?: (body: B, author: string) => void
}

export class RecordRegistry {
  private readonly types = new Map<string, RecordType<any>>()

  constructor (types: Iterable<RecordType<any>> = []) {
    for (const t of types) this.register(t)
  }

  register (type: RecordType<any>): this {
    this.types.set(type.type, type)
    return this
  }

  has (type: string): boolean {
    return this.types.has(type)
  }

  get (type: string): RecordType<any> {
    const found = this.types.get(type)
    if (found === undefined) throw new UnknownTypeError(`unknown record type "${type.slice(0, 64)}"`)
    return found
  }

  list (): string[] {
    return [...this.types.keys()].sort()
  }

  /** Checks a body against its type's size bound, schema and (given the author) author rule; returns the parsed body. */
  check (type: string, body: unknown, entryBytes: number, author?: string): unknown {
    const def = this.get(type)
    if (entryBytes > def.maxEntryBytes) {
      throw new BodyTooLargeError(`${type} entry of ${entryBytes} bytes exceeds ${def.maxEntryBytes}`)
    }
    const parsed = def.schema.safeParse(body)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new BodySchemaError(`${type} body: ${issue.path.join('.') || '(root)'}: ${issue.message}`)
    }
    if (author !== undefined) def.checkAuthor?.(parsed.data, author)
    return parsed.data
  }
}

/** Schema helpers shared by every record type. */
export const schemas = {
  identityId: z.string().max(128).refine(isIdentityId, 'not an identity id'),
  cid: z.custom<CID>((value) => CID.asCID(value) != null, 'not a CID'),
  bytes: (max: number) => z.instanceof(Uint8Array).refine((b) => b.byteLength <= max, `more than ${max} bytes`),
  text: (max: number) => z.string().max(max)
}

export const SPACE_KINDS = ['raw', 'board', 'org', 'federation', 'market', 'ledger'] as const
export type SpaceKind = typeof SPACE_KINDS[number]

/**
 * Who may write a space, decided from its genesis until organizations exist: `listed` admits the
 * creator and the identities named in `writers`; `anyone` admits every valid signature (the
 * public market).
 */
export const spacePolicySchema = z.strictObject({
  write: z.enum(['listed', 'anyone']),
  writers: z.array(schemas.identityId).max(1024)
})

export const genesisBodySchema = z.strictObject({
  kind: z.enum(SPACE_KINDS),
  name: schemas.text(200),
  policy: spacePolicySchema,
  encrypted: z.boolean(),
  /** makes two otherwise identical geneses distinct spaces */
  nonce: schemas.bytes(32)
})
export type GenesisBody = z.infer<typeof genesisBodySchema>

export const noteBodySchema = z.strictObject({ text: schemas.text(4096) })
export type NoteBody = z.infer<typeof noteBodySchema>

export const GENESIS_TYPE = 'space/genesis'
export const NOTE_TYPE = 'space/note'

/** The record types every node knows: space geneses, plain notes (for debugging raw spaces) and profiles. */
export function baseRecordTypes (): Array<RecordType<any>> {
  return [
    { type: GENESIS_TYPE, schema: genesisBodySchema, maxEntryBytes: 64 * 1024 },
    { type: NOTE_TYPE, schema: noteBodySchema, maxEntryBytes: 16 * 1024 },
    profileRecordType
  ]
}
