import { randomBytes } from 'node:crypto'
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

/** Owner-only modes: the data directory holds the node's private key and the API token. */
export const DIR_MODE = 0o700
export const FILE_MODE = 0o600

/** Creates a directory readable by its owner only, and tightens it if it already existed. */
export async function ensurePrivateDir (dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: DIR_MODE })
  await chmod(dir, DIR_MODE)
}

/**
 * Writes a file so that readers see the old content or the new, never a torn one: a temporary
 * file beside it (mode 0600 from creation, so no window where it is readable), then a rename.
 */
export async function writeFileAtomic (file: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(file), `.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeFile(tmp, data, { mode: FILE_MODE, flag: 'wx' })
    await rename(tmp, file)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}

export function isCode (err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === code
}
