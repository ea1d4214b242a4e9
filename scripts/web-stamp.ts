/**
 * Whether the web UI's build (`packages/web/dist`) was made from the inputs now on disk: a
 * sha-256 over every input's path and bytes, written beside the build once it succeeded
 * (`dist/.inputs-sha256`; the daemon never serves dot files). Contents, not times: a checkout
 * or a copy changes every mtime and nothing else, and an edit undone is no change.
 *
 * Inputs: the web package's sources, public files, page, configs and manifest; the client's
 * built JavaScript, which the bundle takes in (built by `tsc -b` just before); the lockfile,
 * which fixes every bundled dependency's version.
 */
import { createHash } from 'node:crypto'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
export const WEB_DIR = join(root, 'packages/web')
const STAMP = join(WEB_DIR, 'dist/.inputs-sha256')

const INPUT_FILES = ['packages/web/index.html', 'packages/web/vite.config.ts', 'packages/web/package.json', 'packages/web/tsconfig.json', 'pnpm-lock.yaml']
const INPUT_DIRS: Array<[dir: string, keep: (name: string) => boolean]> = [
  ['packages/web/src', () => true],
  ['packages/web/public', () => true],
  ['packages/client/dist', (name) => name.endsWith('.js')]
]

async function orMissing<T> (read: Promise<T>, missing: T): Promise<T> {
  return await read.catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return missing
    throw err
  })
}

async function listFiles (dir: string, keep: (name: string) => boolean): Promise<string[]> {
  const entries = await orMissing(readdir(join(root, dir), { recursive: true, withFileTypes: true }), [])
  return entries.filter((e) => e.isFile() && keep(e.name)).map((e) => relative(root, join(e.parentPath, e.name)))
}

/** The hash of the web build's inputs as they are now. */
export async function webInputsHash (): Promise<string> {
  const files = [...INPUT_FILES, ...(await Promise.all(INPUT_DIRS.map(async ([dir, keep]) => await listFiles(dir, keep)))).flat()].sort()
  const hash = createHash('sha256')
  for (const file of files) {
    const bytes = await readFile(join(root, file))
    hash.update(`${file}\0${bytes.length}\0`).update(bytes)
  }
  return hash.digest('hex')
}

/** The inputs' hash, and whether the build on disk carries it. */
export async function webBuildState (): Promise<{ inputs: string, fresh: boolean }> {
  const [stamp, inputs] = await Promise.all([orMissing(readFile(STAMP, 'utf8'), ''), webInputsHash()])
  return { inputs, fresh: stamp.trim() === inputs }
}

/**
 * Records that the build on disk was made from inputs of hash `inputs`, taken before the build
 * began (an edit made while it ran then leaves the stamp behind, and the next start rebuilds).
 */
export async function writeWebStamp (inputs: string): Promise<void> {
  await writeFile(STAMP, inputs + '\n')
}
