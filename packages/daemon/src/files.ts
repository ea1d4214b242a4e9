import { randomBytes } from 'node:crypto'
import { chmod, link, mkdir, open, rename, rm } from 'node:fs/promises'
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
 * Writes a file so that readers see the old content or the new, never a torn one, and so that the
 * new content survives a power cut once this resolves: a temporary file beside it (mode 0600 from
 * creation, so no window where it is readable), fsynced, renamed over the file, and the directory
 * fsynced (a rename of unsynced data can leave an empty file after a crash).
 */
export async function writeFileAtomic (file: string, data: string | Uint8Array): Promise<void> {
  const tmp = await writeTemporary(file, data)
  try {
    await rename(tmp, file)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
  await syncDir(dirname(file))
}

/**
 * Creates a file with its whole content, durably, unless it exists (false then): a crash leaves
 * the file complete or absent, never empty. The content is fsynced in a temporary file, then
 * hard-linked to its name, which fails if the name is taken.
 */
export async function createFileAtomic (file: string, data: string | Uint8Array): Promise<boolean> {
  const tmp = await writeTemporary(file, data)
  try {
    await link(tmp, file)
  } catch (err) {
    if (isCode(err, 'EEXIST')) return false
    throw err
  } finally {
    await rm(tmp, { force: true })
  }
  await syncDir(dirname(file))
  return true
}

async function writeTemporary (file: string, data: string | Uint8Array): Promise<string> {
  const tmp = join(dirname(file), `.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(tmp, 'wx', FILE_MODE)
  try {
    await handle.writeFile(data)
    await handle.sync()
  } catch (err) {
    await handle.close()
    await rm(tmp, { force: true })
    throw err
  }
  await handle.close()
  return tmp
}

async function syncDir (dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

export function isCode (err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === code
}
