import { pino, type Logger } from 'pino'
import { isLogLevel, type LogLevel } from './config.js'
import { ConfigError } from './errors.js'

/**
 * The daemon's logger: JSON lines on stderr (stdout carries the CLI's data). The level comes
 * from the caller, else `MUTUAL_LOG_LEVEL`, else the config file, else `info`.
 */
export function createLogger (level: LogLevel | undefined, configLevel: LogLevel | undefined, env: NodeJS.ProcessEnv = process.env): Logger {
  const fromEnv = env.MUTUAL_LOG_LEVEL
  if (fromEnv !== undefined && fromEnv !== '' && !isLogLevel(fromEnv)) {
    throw new ConfigError('MUTUAL_LOG_LEVEL', undefined, `"${fromEnv.slice(0, 32)}" is not a log level (fatal, error, warn, info, debug, trace, silent)`)
  }
  const chosen = level ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv) ?? configLevel ?? 'info'
  return pino({ name: 'mutual', level: chosen }, pino.destination({ dest: 2, sync: true }))
}
