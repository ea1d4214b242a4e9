import { InvalidArgumentError, type Command } from 'commander'
import { contextFromArgs } from '../context.js'
import { named } from '../format.js'
import { showNamed } from '../names.js'
import { table } from '../output.js'
import { UsageError } from '../errors.js'
import { boardId, estimate, ref, refs, repeatable, taskId } from './args.js'
import { spaceArg } from './org.js'

const marketId = ref('market')
const entryId = spaceArg('an entry id')
const announcementRef = (text: string): string => {
  if (text.length === 0 || text.length > 128) throw new InvalidArgumentError(`"${text.slice(0, 128)}" is neither an announcement id nor a task id`)
  return text
}

export function registerMarket (program: Command): void {
  registerBoardMarket(program)
  const market = program.command('market').description('the open task market: announce tasks, apply, accept or decline with a reason')

  market.command('create')
    .description('create a market anyone may announce in and apply to; prints its id')
    .argument('<name>', 'its name')
    .option('--org <org>', "the organization it belongs to (repeatable): its admins and reviewers decide on any application, and it is announced in the org so its members follow it and `mutual market list` shows it", refs('org'))
    .action(async (name: string, options: { org?: string[] }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const grants = (options.org ?? []).map((org) => ({ org, roles: ['admin', 'reviewer'] }))
      const result = await client.call('createMarket', { body: { name, grants: grants.length === 0 ? undefined : grants } }, { signal: ctx.signal })
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
        if (!ctx.out.json && result.markets.length === 0) {
          ctx.out.message('no markets known here (follow an org with `mutual space join <org>` to see its markets; create one with `mutual market create <name> --org <org>`)')
          return
        }
        await showNamed(ctx, client, result, (style, names) => table(style, ['MARKET', 'NAME', 'BELONGS TO', 'FOLLOWING'], result.markets.map((m) => [
          m.market,
          m.name,
          m.belongsTo.map((b) => `${b.name === '' ? b.id : b.name} (${b.kind})`).join(', ') || (m.owner === null ? '' : named(names, m.owner)),
          m.following ? style.green('yes') : style.yellow('no: `mutual market join`')
        ])))
        return
      }
      const result = await client.call('market', { params: { market: id } }, { signal: ctx.signal })
      await showNamed(ctx, client, result, (style, names) => table(style, ['ANNOUNCEMENT / APPLICATION', 'BY', 'TITLE / NOTE', 'STATUS'], result.announcements.flatMap((a) => [
        [a.id, named(names, a.author), a.body.title, `${a.applications.length} application(s)`],
        ...a.applications.map((p) => [`  ${p.id}`, named(names, p.author), p.note, p.status + (p.decisions.length > 0 ? `: ${p.decisions[p.decisions.length - 1].reason}` : '')])
      ])))
    })

  market.command('join')
    .description('follow a market this node knows (`mutual market list`): its announcements arrive here')
    .argument('<market>', 'the market: id, id prefix or name', marketId)
    .action(async (id: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('joinMarket', { params: { market: id } }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message(`following market "${result.name}"; its announcements: \`mutual market list ${result.market}\``)
      ctx.out.result(result, () => result.market)
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
    .argument('<announcement>', 'the announcement id, or the id of an announced board task', announcementRef)
    .option('--note <text>', 'a note to the announcer')
    .action(async (id: string, announcement: string, options: { note?: string }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('apply', { params: { market: id }, body: { announcement, note: options.note } }, { signal: ctx.signal })
      ctx.out.result(result, () => result.id)
    })

  for (const decision of ['accept', 'decline'] as const) {
    market.command(decision)
      .description(decision === 'accept'
        ? 'accept an application, with a signed reason (the announcer, or a reviewer or admin the market grants); for an announced board task, only someone who may administer the board: the applicant may then write the board and holds the task'
        : 'decline an application, with a signed reason (the announcer, or a reviewer or admin the market grants)')
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

/**
 * `mutual board market`: registered here, beside the market it feeds, on the `board` command
 * made before (program.ts registers boards first).
 */
function registerBoardMarket (program: Command): void {
  const board = program.commands.find((c) => c.name() === 'board')
  if (board === undefined) throw new TypeError('register the board commands before the market')
  board.command('market')
    .description('show the market a board announces its ready tasks to (not done, dependencies done, not held), or set it (someone who may administer the board; their node announces) or turn it off')
    .argument('<board>', 'the board: id, id prefix or name', boardId)
    .argument('[market]', 'the market: id, id prefix or name', marketId)
    .option('--off', 'stop announcing')
    .action(async (id: string, market: string | undefined, options: { off?: boolean }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      if (options.off === true && market !== undefined) throw new UsageError('give a market or --off, not both')
      const client = await ctx.client()
      const result = market === undefined && options.off !== true
        ? await client.call('boardMarket', { params: { board: id } }, { signal: ctx.signal })
        : await client.call('setBoardMarket', { params: { board: id }, body: { market: market ?? null } }, { signal: ctx.signal })
      await showNamed(ctx, client, result, (style, names) => result.market === null
        ? style.dim('announces to no market')
        : `announces ready tasks to ${named(names, result.market)} (set by ${result.by === null ? '?' : named(names, result.by)})`)
    })
}
