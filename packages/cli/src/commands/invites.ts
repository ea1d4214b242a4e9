import { Option, type Command } from 'commander'
import type { InviteKind } from '@mutual/client'
import { contextFromArgs } from '../context.js'
import { plural, shortId } from '../format.js'
import { table } from '../output.js'
import { statusText } from './board.js'

const KINDS = ['board', 'org'] as const satisfies readonly InviteKind[]

/** `mutual invites`: every invite made here, of every kind; `mutual invite revoke <id>`. */
export function registerInvites (program: Command, invite: Command): void {
  program
    .command('invites')
    .description('list the invites made here, of boards and organizations, with their status')
    .addOption(new Option('--kind <kind>', 'only invites to a board or to an organization').choices([...KINDS]))
    .action(async (options: { kind?: InviteKind }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const all = await client.call('invites', {}, { signal: ctx.signal })
      const result = { invites: all.invites.filter((i) => options.kind === undefined || i.kind === options.kind) }
      if (!ctx.out.json && result.invites.length === 0) {
        ctx.out.message('no invites (make one with `mutual board invite <board>` or `mutual invite <org>`)')
        return
      }
      ctx.out.result(result, (style) => table(style, ['INVITE', 'KIND', 'TO', 'ROLES', 'STATUS', 'USED', 'EXPIRES'], result.invites.map((i) => [
        i.id, i.kind, `${i.name} (${shortId(i.space)})`, i.roles.join(', '), statusText(style, i.status), `${i.used}/${i.uses}`, i.expires
      ])))
    })

  invite
    .command('revoke')
    .description('revoke an invite of any kind by its id: its ticket stops working')
    .argument('<invite>', 'the invite id (see `mutual invites`)')
    .action(async (id: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('revokeInvite', { params: { id } }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message(`revoked invite ${result.id} to ${result.kind} "${result.name}" (${result.used} of ${plural(result.uses, 'use')} taken)`)
      ctx.out.result(result, () => '')
    })
}
