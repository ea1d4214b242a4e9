import type { Command } from 'commander'
import { contextFromArgs } from '../context.js'
import { duration } from '../format.js'
import { fields } from '../output.js'

export function registerStatus (program: Command): void {
  program
    .command('status')
    .description('show what the running daemon is doing')
    .action(async (...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const status = await client.call('status', {}, { signal: ctx.signal })
      ctx.out.result(status, (style) => fields(style, [
        ['status', style.green('running')],
        ['id', status.id],
        ['version', status.version],
        ['uptime', duration(status.uptimeMs)],
        ['peers', status.peers],
        ['spaces', status.spaces],
        ['mdns', status.mdns ? 'on' : 'off'],
        ['api', status.api],
        ['home', status.home],
        ['addresses', status.addresses]
      ]))
    })
}

export function registerId (program: Command): void {
  program
    .command('id')
    .description("print this node's identity and the addresses others can dial")
    .action(async (...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const id = await client.call('id', {}, { signal: ctx.signal })
      // The id alone on the first line, so `mutual id | head -1` gives it to scripts without --json.
      ctx.out.result(id, () => [id.id, ...id.addresses].join('\n'))
    })
}
