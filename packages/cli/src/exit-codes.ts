/**
 * The exit codes of `mutual`, a documented contract for scripts (also in the package README).
 * They do not change between versions.
 *
 * | code | name             | when                                                                      |
 * | ---- | ---------------- | ------------------------------------------------------------------------- |
 * | 0    | Ok               | the command did what was asked                                            |
 * | 1    | Failure          | an unexpected failure (a bug, a 5xx from the daemon, a disk error); `doctor` found a check that warns |
 * | 2    | Usage            | bad arguments or options, a name or id prefix that fits several things (`AmbiguousNameError`, candidates listed) or nothing known (`UnknownNameError`), a bad config file (`ConfigError`) or key file (`KeyFileError`), Node.js older than 22 |
 * | 3    | DaemonNotRunning | no daemon for this home: no `api` file, or its address refused the call   |
 * | 4    | Refused          | the daemon refused the request (a 4xx problem: invalid input, unauthorized, not found, a whole id not held here) |
 * | 5    | DaemonRunning    | `mutual daemon`: another daemon holds this home's lock (`DaemonRunningError`, `StoreLockedError`) |
 * | 6    | Network          | a network operation failed (`DialError`, HTTP 502; `JoinTimeoutError`, 504) |
 * | 130  | Interrupted      | Ctrl-C (SIGINT) cancelled a client command (the shell's 128 + signal)     |
 */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  Usage: 2,
  DaemonNotRunning: 3,
  Refused: 4,
  DaemonRunning: 5,
  Network: 6,
  Interrupted: 130
} as const

export type ExitCode = typeof ExitCode[keyof typeof ExitCode]
