#!/usr/bin/env node
import { main } from './program.js'

// `mutual … | head` closes stdout early; that is the reader's choice, not a failure.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0)
  throw err
})

process.exitCode = await main(process.argv)
