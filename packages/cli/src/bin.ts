#!/usr/bin/env node
// A namespace import, not a named one: Node 20 has no enableCompileCache and would refuse to
// link a named one before the version check below could say why.
import * as nodeModule from 'node:module'
import { ExitCode } from './exit-codes.js'
import { nodeVersionProblem } from './node-check.js'
import { holdYoungGeneration } from './young-generation.js'

// Checked before the program (and libp2p under it) is loaded: on an older Node it would die
// with an error that says nothing of the version.
const problem = nodeVersionProblem(process.versions.node)
if (problem !== undefined) {
  process.stderr.write(problem + '\n')
  process.exit(ExitCode.Usage)
}

// Every command loads a few hundred modules (libp2p under the daemon); Node's on-disk compile
// cache (in the system's temporary directory) spares re-compiling them at each start.
nodeModule.enableCompileCache()

// Before the program loads: its modules are most of a start's allocation (young-generation.ts).
holdYoungGeneration()

// `mutual … | head` closes stdout early; that is the reader's choice, not a failure.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0)
  throw err
})

const { main } = await import('./program.js')
process.exitCode = await main(process.argv)
