import { ApiError } from '@mutual/client'
import { ExitCode } from './exit-codes.js'

/**
 * Named errors of the CLI, matched by `.name`. `exitCodeFor` is the one place that turns any
 * error into an exit code (see exit-codes.ts).
 */

/** Bad arguments or options that commander's own parsing cannot see (a malformed id, bad JSON). */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** No daemon serves this home: no `api` file, its process is gone, or its address refused. */
export class DaemonNotRunningError extends Error {
  override name = 'DaemonNotRunningError'
  readonly home: string

  constructor (home: string, reason: string) {
    super(`the daemon is not running (${reason}); start it with \`mutual daemon --home ${home}\``)
    this.home = home
  }
}

/** `mutual doctor` found checks that need attention (exit 1; its report is printed all the same). */
export class DoctorWarningError extends Error {
  override name = 'DoctorWarningError'
}

/**
 * `mutual task claim`: the claim was recorded, but an earlier claim holds the task (exit 4, as a
 * refusal). The claim waits behind it: it takes the task if the earlier claims are released.
 */
export class ClaimHeldError extends Error {
  override name = 'ClaimHeldError'
}

/** The command was cancelled by Ctrl-C. */
export class InterruptedError extends Error {
  override name = 'InterruptedError'
}

// Errors thrown in-process (by commander, or by @mutual/daemon while starting) that mean the
// user's input is wrong: options, config.json, or a key file that is not a key.
const USAGE_NAMES = new Set(['UsageError', 'ConfigError', 'KeyFileError', 'CommanderError', 'InvalidArgumentError'])

export function exitCodeFor (err: unknown): ExitCode {
  if (!(err instanceof Error)) return ExitCode.Failure
  if (err instanceof ApiError) {
    // A name or prefix that fits several things, or nothing, is an argument to correct, like a
    // malformed id; a whole id the daemon does not hold is refused (exit 4) as before.
    if (err.name === 'AmbiguousNameError' || err.name === 'UnknownNameError') return ExitCode.Usage
    if (err.name === 'DialError' || err.status === 502 || err.status === 504) return ExitCode.Network
    if (err.status >= 400 && err.status < 500) return ExitCode.Refused
    return ExitCode.Failure
  }
  if (USAGE_NAMES.has(err.name)) return ExitCode.Usage
  switch (err.name) {
    case 'DaemonNotRunningError': return ExitCode.DaemonNotRunning
    case 'DaemonRunningError': return ExitCode.DaemonRunning
    case 'StoreLockedError': return ExitCode.DaemonRunning
    case 'DialError': return ExitCode.Network
    case 'InterruptedError': return ExitCode.Interrupted
    case 'ClaimHeldError': return ExitCode.Refused
    default: return ExitCode.Failure
  }
}
