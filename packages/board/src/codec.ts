import type { CID, SignedEntry } from '@mutual/protocol'

/**
 * How a replica reads and writes the entries of an encrypted board (DESIGN.md §4): the board
 * package knows no keys, so the node that holds them hands the replica a codec. Without one,
 * entries are read as they are.
 */
export interface EntryCodec {
  /**
   * The entry as the record inside it (same id, author, seq and stamp; inner type and body), or
   * undefined while it cannot be opened yet (its key has not arrived): the replica then waits
   * for the key before taking in that author's entries. Throws a named error for an entry that
   * will never open (tampered, or an inner record that is not valid): it is skipped.
   */
  open: (entry: SignedEntry) => SignedEntry | undefined
  /** appends a record as the space requires (sealed under its newest key) */
  append: (type: string, body: unknown, refs?: CID[]) => Promise<SignedEntry>
}
