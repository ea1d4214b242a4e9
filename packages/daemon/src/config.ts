import { readFile } from 'node:fs/promises'
import { multiaddr } from '@multiformats/multiaddr'
import { z } from 'zod'
import { ConfigError } from './errors.js'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = typeof LOG_LEVELS[number]

/** `host:port` with the host an IPv4 address, a name, or an IPv6 address in brackets. */
const API_ADDRESS = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/

function isMultiaddr (text: string): boolean {
  try {
    multiaddr(text)
    return true
  } catch {
    return false
  }
}

/** A multiaddr the node announces besides its listen addresses, e.g. `/ip4/203.0.113.7/tcp/4001`. */
const announceAddress = z.string().min(1).max(256).refine(isMultiaddr, 'not a multiaddr (e.g. /ip4/203.0.113.7/tcp/4001)')

/**
 * `config.json` in the data directory. Strict: an unknown field is a typo, reported with its name
 * rather than silently ignored.
 */
export const configSchema = z.strictObject({
  version: z.literal(1),
  listen: z.array(z.string().min(1).max(256)).max(32),
  api: z.string().regex(API_ADDRESS, 'must be host:port, e.g. 127.0.0.1:0'),
  bootstrap: z.array(z.string().min(1).max(512)).max(256),
  mdns: z.boolean(),
  dht: z.boolean(),
  nat: z.boolean(),
  /**
   * addresses announced besides the listen addresses, as given (AutoNAT does not check them): a
   * port forward's public address, a DNS name (default none)
   */
  announce: z.array(announceAddress).max(32).optional(),
  syncIntervalMs: z.number().int().min(0).max(24 * 3600_000),
  allowedHosts: z.array(z.string().min(1).max(256)).max(64),
  allowedOrigins: z.array(z.string().min(1).max(256)).max(64),
  /** exempt loopback from connection limits and the same-address penalty (default false; for local test networks) */
  exemptLoopback: z.boolean().optional(),
  /** pino level; the MUTUAL_LOG_LEVEL environment variable overrides it */
  logLevel: z.enum(LOG_LEVELS).optional()
})

export type Config = z.infer<typeof configSchema>

export function defaultConfig (): Config {
  return {
    version: 1,
    listen: ['/ip4/0.0.0.0/tcp/0'],
    api: '127.0.0.1:0',
    bootstrap: [],
    mdns: true,
    dht: true,
    nat: false,
    syncIntervalMs: 30_000,
    allowedHosts: [],
    allowedOrigins: []
  }
}

export function isLogLevel (value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value)
}

/** Reads and validates a config file; throws ConfigError naming the file and the first bad field. */
export async function loadConfig (file: string): Promise<Config> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new ConfigError(file, undefined, `cannot read: ${(err as Error).message}`, { cause: err })
  }
  return parseConfig(file, text)
}

export function parseConfig (file: string, text: string): Config {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new ConfigError(file, undefined, `not JSON: ${(err as Error).message}`, { cause: err })
  }
  const parsed = configSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.') || '(root)'
    throw new ConfigError(file, field, issue.message)
  }
  return parsed.data
}

/** Checks `--announce` addresses as config.json's are checked; ConfigError naming the field otherwise. */
export function parseAnnounce (addresses: string[], source: string): string[] {
  const parsed = z.array(announceAddress).max(32).safeParse(addresses)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new ConfigError(source, ['announce', ...issue.path].join('.'), `${typeof issue.path[0] === 'number' ? `"${addresses[issue.path[0]].slice(0, 64)}" ` : ''}${issue.message}`)
  }
  return parsed.data
}

export interface ApiAddress {
  host: string
  port: number
}

/** Splits `host:port` (IPv6 hosts in brackets); throws ConfigError naming the `api` field. */
export function parseApiAddress (text: string, source = 'api'): ApiAddress {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]+):(\d+)$/.exec(text)
  const port = match === null ? NaN : Number(match[2])
  if (match === null || !Number.isInteger(port) || port > 65535) {
    throw new ConfigError(source, 'api', `"${text.slice(0, 64)}" is not host:port`)
  }
  return { host: match[1], port }
}
