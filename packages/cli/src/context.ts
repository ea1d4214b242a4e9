import type { Command } from 'commander'
import { createClient, type Client } from './client.js'
import { createOutput, type Output } from './output.js'
import { resolveHome } from './home.js'

/** The options every command takes (`mutual --home <dir> --json <command>` or after the command). */
export interface GlobalOptions {
  home?: string
  json?: boolean
}

/** What a command's action works with: the home, the output, a client and Ctrl-C as a signal. */
export interface Context {
  readonly home: string
  readonly out: Output
  /** aborted by Ctrl-C; installing it makes Ctrl-C cancel the command instead of killing the process */
  readonly signal: AbortSignal
  client (): Promise<Client>
}

export function contextOf (command: Command): Context {
  const options = command.optsWithGlobals<GlobalOptions>()
  const home = resolveHome(options.home)
  const out = createOutput({ json: options.json === true })
  let controller: AbortController | undefined
  return {
    home,
    out,
    get signal () {
      if (controller === undefined) {
        const c = new AbortController()
        process.once('SIGINT', () => { c.abort() })
        controller = c
      }
      return controller.signal
    },
    client: async () => await createClient(home)
  }
}

/** Creates a command's context from commander's action arguments (the command is always last). */
export function contextFromArgs (args: unknown[]): Context {
  return contextOf(args[args.length - 1] as Command)
}
