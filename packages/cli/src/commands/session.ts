import type { Command } from 'commander'
import { contextFromArgs } from '../context.js'

interface OpenOptions {
  browser: boolean
}

/** Whether a browser can be started here: a terminal, and a display on systems that need one. */
function canOpenBrowser (env: NodeJS.ProcessEnv): boolean {
  if (process.stdout.isTTY !== true) return false
  if (process.platform === 'darwin' || process.platform === 'win32') return true
  return (env.DISPLAY ?? '') !== '' || (env.WAYLAND_DISPLAY ?? '') !== ''
}

export function registerSession (program: Command): void {
  program
    .command('open')
    .description('print a one-time login URL for the web UI, and open it in a browser where one is available')
    .option('--no-browser', 'only print the URL')
    .action(async (options: OpenOptions, command: Command) => {
      const ctx = contextFromArgs([command])
      const client = await ctx.client()
      const login = await client.call('createLoginCode', {}, { signal: ctx.signal })
      ctx.out.result(login, () => login.url)
      if (ctx.out.json) return
      ctx.out.message(`the link works once, until ${login.expires}; \`mutual open\` gives a new one`)
      if (options.browser && canOpenBrowser(process.env)) {
        const { default: open } = await import('open')
        try {
          await open(login.url)
        } catch (err) {
          ctx.out.message(`could not start a browser (${(err as Error).message}): open the URL above yourself`)
        }
      }
    })

  program
    .command('logout')
    .description('end browser sessions of the web UI')
    .requiredOption('--all', 'end every browser session (and void unused login links)')
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextFromArgs([command])
      const client = await ctx.client()
      const ended = await client.call('endSessions', {}, { signal: ctx.signal })
      ctx.out.result(ended, () => `${ended.ended} browser session${ended.ended === 1 ? '' : 's'} ended`)
    })
}
