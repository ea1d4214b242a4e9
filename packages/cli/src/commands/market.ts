import type { Command } from 'commander'
import { contextFromArgs } from '../context.js'
import { named } from '../format.js'
import { showNamed } from '../names.js'
import { table } from '../output.js'
import { boardId, estimate, ref, repeatable, taskId } from './args.js'
import { spaceArg } from './org.js'

const marketId = ref('market')
const entryId = spaceArg('an entry id')

export function registerMarket (program: Command): void {
  const market = program.command('market').description('the open task market: announce tasks, apply, accept or decline with a reason')

  market.command('create')
    .description('create a market anyone may announce in and apply to; prints its id')
    .argument('<name>', 'its name')
    .action(async (name: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('createMarket', { body: { name } }, { signal: ctx.signal })
      ctx.out.result(result, () => result.market)
    })

  market.command('list')
    .description('without a market: the markets held here; with one: its announcements and applications')
    .argument('[market]', 'the market: id, id prefix or name', marketId)
    .action(async (id: string | undefined, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      if (id === undefined) {
        const result = await client.call('listMarkets', {}, { signal: ctx.signal })
        await showNamed(ctx, client, result, (style, names) => table(style, ['MARKET', 'NAME', 'OWNER'], result.markets.map((m) => [m.market, m.name, named(names, m.owner)])))
        return
      }
      const result = await client.call('market', { params: { market: id } }, { signal: ctx.signal })
      await showNamed(ctx, client, result, (style, names) => table(style, ['ANNOUNCEMENT / APPLICATION', 'BY', 'TITLE / NOTE', 'STATUS'], result.announcements.flatMap((a) => [
        [a.id, named(names, a.author), a.body.title, `${a.applications.length} application(s)`],
        ...a.applications.map((p) => [`  ${p.id}`, named(names, p.author), p.note, p.status + (p.decisions.length > 0 ? `: ${p.decisions[p.decisions.length - 1].reason}` : '')])
      ])))
    })

  market.command('announce')
    .description('announce a task; prints the announcement id')
    .argument('<market>', 'the market: id, id prefix or name', marketId)
    .argument('<title>', 'the task\'s title')
    .option('--summary <text>', 'what it asks for')
    .option('--skill <skill>', 'a skill it needs (repeatable)', repeatable)
    .option('--estimate <points>', 'workload estimate', estimate)
    .option('--board <board>', 'the board the task lives on (id, prefix or name)', boardId)
    .option('--task <task>', 'the task on that board (id, prefix or title)', taskId)
    .action(async (id: string, title: string, options: { summary?: string, skill?: string[], estimate?: number, board?: string, task?: string }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('announce', {
        params: { market: id },
        body: { title, summary: options.summary, skills: options.skill, estimate: options.estimate, board: options.board, task: options.task }
      }, { signal: ctx.signal })
      ctx.out.result(result, () => result.id)
    })

  market.command('apply')
    .description('apply for an announced task; prints the application id')
    .argument('<market>', 'the market: id, id prefix or name', marketId)
    .argument('<announcement>', 'the announcement id', entryId)
    .option('--note <text>', 'a note to the announcer')
    .action(async (id: string, announcement: string, options: { note?: string }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('apply', { params: { market: id }, body: { announcement, note: options.note } }, { signal: ctx.signal })
      ctx.out.result(result, () => result.id)
    })

  for (const decision of ['accept', 'decline'] as const) {
    market.command(decision)
      .description(`${decision} an application, with a signed reason (the announcer, or a reviewer or admin the market grants)`)
      .argument('<market>', 'the market: id, id prefix or name', marketId)
      .argument('<application>', 'the application id', entryId)
      .requiredOption('--reason <text>', 'why (signed and shown to the applicant)')
      .action(async (id: string, application: string, options: { reason: string }, ...args: unknown[]) => {
        const ctx = contextFromArgs(args)
        const client = await ctx.client()
        const result = await client.call('decide', { params: { market: id, id: application, decision }, body: { reason: options.reason } }, { signal: ctx.signal })
        ctx.out.result(result, () => result.id)
      })
  }
}
