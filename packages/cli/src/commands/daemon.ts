import type { Command } from 'commander'
import { contextFromArgs } from '../context.js'
import { fields } from '../output.js'
import { releaseYoungGeneration } from '../young-generation.js'

interface DaemonOptions {
  listen?: string[]
  announce?: string[]
  api?: string
  bootstrap?: string[]
  mdns: boolean
}

function collect (value: string, previous: string[] = []): string[] {
  return [...previous, value]
}

// After a clean stop the process should exit by itself; if a library leaves a handle open, this
// bounds the wait rather than hanging a supervisor's restart.
const EXIT_GRACE_MS = 3_000

export function registerDaemon (program: Command): void {
  program
    .command('daemon')
    .description('run the node and its HTTP API in the foreground (Ctrl-C stops it)')
    .option('--listen <multiaddr>', 'libp2p listen address (repeatable; default from config.json)', collect)
    .option('--announce <multiaddr>', 'address to announce besides the listen addresses, unchecked: a port forward\'s public address (repeatable; default from config.json)', collect)
    .option('--api <host:port>', 'HTTP API address (port 0 picks a free one; default from config.json)')
    .option('--bootstrap <multiaddr>', 'peer to dial at start and keep connected (repeatable)', collect)
    .option('--no-mdns', 'no local network discovery')
    .action(async (options: DaemonOptions, command: Command) => {
      const ctx = contextFromArgs([command])

      // Signals are taken from the start, so Ctrl-C while starting still shuts down cleanly.
      let signalled: (signal: NodeJS.Signals) => void = () => {}
      const signal = new Promise<NodeJS.Signals>((resolve) => { signalled = resolve })
      let received: NodeJS.Signals | undefined
      const onSignal = (sig: NodeJS.Signals): void => {
        if (received !== undefined) {
          ctx.out.message(`${sig} again: exiting without a clean shutdown`)
          process.exit(1)
        }
        received = sig
        signalled(sig)
      }
      process.on('SIGINT', onSignal)
      process.on('SIGTERM', onSignal)

      try {
        ctx.out.progress(`starting the daemon on ${ctx.home}…`)
        const { startDaemon } = await import('@mutual/daemon')
        const daemon = await startDaemon({
          home: ctx.home,
          listen: options.listen,
          announce: options.announce,
          api: options.api,
          bootstrap: options.bootstrap,
          // only when given: otherwise config.json decides
          mdns: command.getOptionValueSource('mdns') === 'cli' ? options.mdns : undefined
        })
        releaseYoungGeneration()
        const ready = { id: daemon.identity.id, addresses: daemon.node.addresses(), api: daemon.url, pid: process.pid, home: daemon.home }
        if (ctx.out.json) {
          // One line, so a supervisor reads it as soon as it is written.
          process.stdout.write(JSON.stringify(ready) + '\n')
        } else {
          ctx.out.result(ready, (style) => fields(style, [['id', ready.id], ['listen', ready.addresses], ['api', ready.api]]))
          ctx.out.message('ready; Ctrl-C stops the daemon')
          ctx.out.message('web UI: run `mutual open` (npx --yes pnpm@10 mutual open) for a one-time login link')
        }

        const sig = await signal
        ctx.out.progress(`${sig}: stopping…`)
        await daemon.stop()
        ctx.out.progress('stopped')
        setTimeout(() => process.exit(0), EXIT_GRACE_MS).unref()
      } finally {
        process.off('SIGINT', onSignal)
        process.off('SIGTERM', onSignal)
      }
    })
}
