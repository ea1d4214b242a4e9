/**
 * @packageDocumentation
 * The `mutual` command line: `init` and `daemon` work on a data directory in-process; every
 * other command talks to the running daemon over its HTTP API, found through the `api` file in
 * the data directory. Exit codes are a documented contract (`ExitCode`).
 */
export { main, createProgram } from './program.js'
export { ExitCode } from './exit-codes.js'
export { MIN_NODE_MAJOR, NODE_TOO_OLD, nodeVersionProblem } from './node-check.js'
export { type Client, type ApiInfo, createClient, readApiInfo } from './client.js'
export { type Output, type OutputInit, type Style, createOutput, colorEnabled } from './output.js'
export { resolveHome } from './home.js'
export * from './errors.js'
