import { randomBytes } from 'node:crypto'
import { readFile, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import envPaths from 'env-paths'
import { exportIdentity, generateIdentity, importIdentity, type Identity } from '@mutual/protocol'
import { type Config, defaultConfig, loadConfig } from './config.js'
import { ConfigError, KeyFileError } from './errors.js'
import { createFileAtomic, ensurePrivateDir, isCode, writeFileAtomic } from './files.js'

/** Where each file of a data directory lives. */
export interface HomePaths {
  home: string
  config: string
  identity: string
  db: string
  lock: string
  api: string
  token: string
  /** browser sessions of the web UI (hashed ids) */
  sessions: string
}

/** The data directory: `home` if given, else `MUTUAL_HOME`, else the platform's data directory. */
export function resolveHome (home?: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = home ?? (env.MUTUAL_HOME !== undefined && env.MUTUAL_HOME !== '' ? env.MUTUAL_HOME : envPaths('mutual', { suffix: '' }).data)
  return resolve(dir)
}

export function homePaths (home: string): HomePaths {
  return {
    home,
    config: join(home, 'config.json'),
    identity: join(home, 'identity.key'),
    db: join(home, 'db'),
    lock: join(home, 'daemon.lock'),
    api: join(home, 'api'),
    token: join(home, 'api-token'),
    sessions: join(home, 'sessions.json')
  }
}

export interface OpenedHome {
  paths: HomePaths
  config: Config
  identity: Identity
  token: string
  /** files this call created (empty when the directory was already initialized) */
  created: string[]
}

/**
 * Opens a data directory, creating what is missing: the directory (0700), `config.json` with
 * defaults, `identity.key` and `api-token` (0600). Idempotent: existing files are read, never
 * replaced. This is `mutual init`, and the first thing `mutual daemon` does.
 */
export async function initHome (home: string): Promise<OpenedHome> {
  const paths = homePaths(home)
  await ensurePrivateDir(home)
  const created: string[] = []
  if (await createFileAtomic(paths.config, JSON.stringify(defaultConfig(), null, 2) + '\n')) created.push(paths.config)
  const config = await loadConfig(paths.config)

  let identity = await readIdentity(paths.identity)
  if (identity === undefined) {
    const fresh = await generateIdentity()
    // Another process may have raced us here; whichever key landed first is the node's key.
    if (await createFileAtomic(paths.identity, exportIdentity(fresh))) created.push(paths.identity)
    identity = await readIdentity(paths.identity)
    if (identity === undefined) throw new KeyFileError(`${paths.identity} vanished while being created`)
  }

  let token = await readToken(paths.token)
  if (token === undefined) {
    if (await createFileAtomic(paths.token, randomBytes(32).toString('hex') + '\n')) created.push(paths.token)
    token = await readToken(paths.token)
    if (token === undefined) throw new ConfigError(paths.token, undefined, 'vanished while being created')
  }
  await ensurePrivateDir(paths.db)
  return { paths, config, identity, token, created }
}

/** The identity in a key file, or undefined if there is no file. */
export async function readIdentity (file: string): Promise<Identity | undefined> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(file)
  } catch (err) {
    if (isCode(err, 'ENOENT')) return undefined
    throw new KeyFileError(`cannot read ${file}: ${(err as Error).message}`, { cause: err })
  }
  try {
    return importIdentity(bytes)
  } catch (err) {
    throw new KeyFileError(`${file} holds no Ed25519 private key: ${(err as Error).message}`, { cause: err })
  }
}

async function readToken (file: string): Promise<string | undefined> {
  let text: string
  try {
    text = (await readFile(file, 'utf8')).trim()
  } catch (err) {
    if (isCode(err, 'ENOENT')) return undefined
    throw new ConfigError(file, undefined, `cannot read: ${(err as Error).message}`, { cause: err })
  }
  if (!/^[0-9a-f]{64}$/.test(text)) throw new ConfigError(file, undefined, 'not a 32-byte hex token; delete it to make a new one')
  return text
}

/** The `api` file: how the CLI finds and authenticates to the running daemon. */
export interface ApiFile {
  url: string
  token: string
  pid: number
}

export async function writeApiFile (file: string, api: ApiFile): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(api) + '\n')
}

/** The running daemon's address and token, or undefined when no daemon has written one. */
export async function readApiFile (file: string): Promise<ApiFile | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ApiFile
  } catch (err) {
    if (isCode(err, 'ENOENT')) return undefined
    throw err
  }
}

export async function removeFile (file: string): Promise<void> {
  await rm(file, { force: true })
}
