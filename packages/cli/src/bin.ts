#!/usr/bin/env node
import { ExitCode } from './exit-codes.js'
import { nodeVersionProblem } from './node-check.js'

// Checked before the program (and libp2p under it) is loaded: on an older Node it would die
// with an error that says nothing of the version.
const problem = nodeVersionProblem(process.versions.node)
if (problem !== undefined) {
  process.stderr.write(problem + '\n')
  process.exit(ExitCode.Usage)
}

// `mutual … | head` closes stdout early; that is the reader's choice, not a failure.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0)
  throw err
})

const { main } = await import('./program.js')
process.exitCode = await main(process.argv)
