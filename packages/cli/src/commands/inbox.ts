import type { Command } from 'commander'
import type { InboxItem } from '@mutual/client'
import { contextFromArgs } from '../context.js'
import { UsageError } from '../errors.js'
import { named, plural, wallTime, type Names } from '../format.js'
import { table, type Style } from '../output.js'
import { integer } from './args.js'

function renderItems (style: Style, items: InboxItem[], names: Names): string {
  return table(style, ['ITEM', 'STATE', 'KIND', 'WHEN', 'FROM', 'WHAT'], items.map((i) => [
    i.id,
    i.read ? 'read' : style.bold('unread'),
    i.kind,
    wallTime(Date.parse(i.at)),
    named(names, i.actor.id),
    i.text
  ]))
}

/** `mutual inbox [--unread] [--kind …]` and `mutual inbox mark-read <item>… | --all`. */
export function registerInbox (program: Command): void {
  const inbox = program.command('inbox')
    .description('what needs you: claims lost, contested or won, applications, decisions, disputes, @mentions (newest first)')
    .option('--unread', 'unread items only')
    .option('--kind <kinds>', 'comma-separated kinds (claim.lost, application.received, mention, …)')
    .option('--limit <n>', 'at most this many (1–1000, default 100)', integer(1, 1000))
    .action(async (o: { unread?: boolean, kind?: string, limit?: number }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('inbox', {
        query: { ...(o.unread === true ? { unread: 'true' as const } : {}), ...(o.kind !== undefined ? { kind: o.kind } : {}), ...(o.limit !== undefined ? { limit: o.limit } : {}) }
      }, { signal: ctx.signal })
      if (!ctx.out.json) {
        ctx.out.message(`${plural(result.total, 'item')}, ${result.unread} unread`)
        if (result.items.length === 0) return
      }
      // Names come with each item's actor; ids in other fields (boards, spaces) are not shown here.
      const names: Names = Object.fromEntries(result.items.map((i) => [i.actor.id, { name: i.actor.name }]))
      ctx.out.result(result, (style) => renderItems(style, result.items, names))
    })

  inbox.command('mark-read')
    .description('mark items read (on this node only): by id, or --all')
    .argument('[items...]', 'item ids, as `mutual inbox` shows them')
    .option('--all', 'every item')
    .action(async (items: string[], o: { all?: boolean }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      if ((o.all === true) === (items.length > 0)) throw new UsageError('name the items to mark read, or give --all (not both)')
      const client = await ctx.client()
      const result = await client.call('markRead', { body: o.all === true ? { all: true } : { ids: items } }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message(`marked ${plural(result.marked.length, 'item')} read; ${result.unread} unread`)
      ctx.out.result(result, () => '')
    })
}
