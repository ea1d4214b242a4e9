import { link, readFile, rm, writeFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import { DaemonRunningError } from './errors.js'
import { FILE_MODE, isCode, writeFileAtomic } from './files.js'

/** What `daemon.lock` holds: the owner's PID and, once it listens, its API URL. */
export interface LockInfo {
  pid: number
  api: string | null
}

/** The single-instance lock of a data directory. */
export interface DaemonLock {
  readonly file: string
  /** records the API address once the HTTP server listens */
  update (api: string): Promise<void>
  /** removes the lock if it is still ours; idempotent */
  release (): Promise<void>
}

const MAX_ATTEMPTS = 5

/**
 * Takes the lock of a data directory. The lock file appears complete or not at all: it is
 * written beside the lock and hard-linked into place, and `link` fails if the lock exists (the
 * same exclusivity as opening with 'wx', without a window where the file is empty). A lock whose
 * process is gone is stale and taken over. A second guard stays underneath: LevelDB's own lock
 * on `db/`.
 */
export async function acquireLock (file: string, home: string, pid = process.pid): Promise<DaemonLock> {
  const info: LockInfo = { pid, api: null }
  let last: LockInfo | undefined
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (await tryCreate(file, info)) return new FileLock(file, pid)
    const held = await readLock(file)
    if (held === undefined) continue // released between our attempt and the read
    if (held !== 'corrupt') {
      if (isAlive(held.pid)) throw new DaemonRunningError(home, held.pid, held.api)
      last = held
    }
    // Stale: its process is gone (or the file is not a lock at all). Remove it and try again.
    await rm(file, { force: true })
  }
  // Others keep taking the lock as fast as it frees: report the last holder seen.
  throw new DaemonRunningError(home, last?.pid ?? 0, last?.api ?? null)
}

/** The lock's content, undefined if there is none, 'corrupt' if it cannot be a lock we wrote. */
export async function readLock (file: string): Promise<LockInfo | 'corrupt' | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if (isCode(err, 'ENOENT')) return undefined
    throw err
  }
  try {
    const value = JSON.parse(text) as Partial<LockInfo>
    if (Number.isSafeInteger(value.pid) && (value.pid as number) > 0) {
      return { pid: value.pid as number, api: typeof value.api === 'string' ? value.api : null }
    }
  } catch {
    // not JSON: fall through
  }
  return 'corrupt'
}

async function tryCreate (file: string, info: LockInfo): Promise<boolean> {
  const tmp = join(dirname(file), `.lock-${randomBytes(6).toString('hex')}.tmp`)
  await writeFile(tmp, JSON.stringify(info) + '\n', { mode: FILE_MODE, flag: 'wx' })
  try {
    await link(tmp, file)
    return true
  } catch (err) {
    if (isCode(err, 'EEXIST')) return false
    throw err
  } finally {
    await rm(tmp, { force: true })
  }
}

/** Signal 0 tests for a process without touching it; EPERM means it exists under another user. */
function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return isCode(err, 'EPERM')
  }
}

class FileLock implements DaemonLock {
  readonly file: string
  private readonly pid: number
  private released = false

  constructor (file: string, pid: number) {
    this.file = file
    this.pid = pid
  }

  async update (api: string): Promise<void> {
    if (this.released) return
    await writeFileAtomic(this.file, JSON.stringify({ pid: this.pid, api } satisfies LockInfo) + '\n')
  }

  async release (): Promise<void> {
    if (this.released) return
    this.released = true
    const held = await readLock(this.file)
    if (held !== undefined && held !== 'corrupt' && held.pid === this.pid) await rm(this.file, { force: true })
  }
}
