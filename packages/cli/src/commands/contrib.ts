import type { Command } from 'commander'
import type { Body, Entry, Input, Output } from '@mutual/client'
import { contextFromArgs, type Context } from '../context.js'
import { InvalidArgumentError } from 'commander'
import { UsageError } from '../errors.js'
import { named } from '../format.js'
import { showNamed } from '../names.js'
import { fields, table } from '../output.js'
import { boardId, integer, ref, repeatable, taskId } from './args.js'

const PERIOD = /^[0-9]{4}-(0[1-9]|1[0-2])$/

export function period (text: string): string {
  if (!PERIOD.test(text)) throw new InvalidArgumentError(`"${text}" is not a period (YYYY-MM)`)
  return text
}

export function entryId (text: string): string {
  if (text.length === 0 || text.length > 128 || /[\s/?#%]/.test(text)) throw new InvalidArgumentError(`"${text}" is not an entry id`)
  return text
}

/** The ledger to use: --ledger, else the only ledger this node holds. */
export async function ledgerOf (ctx: Context, option: string | undefined): Promise<string> {
  if (option !== undefined) return option
  const client = await ctx.client()
  const { ledgers } = await client.call('listLedgers', {}, { signal: ctx.signal })
  if (ledgers.length === 1) return ledgers[0].ledger
  throw new UsageError(ledgers.length === 0
    ? 'this node holds no ledger (an org admin creates one with `mutual org ledger <org>`)'
    : `this node holds ${ledgers.length} ledgers; name one with --ledger <id>`)
}

export const LEDGER_OPTION = ['--ledger <ledger>', 'the ledger: id, id prefix or name (default: the only ledger this node holds)', ref('ledger')] as const

/** The routes that write one ledger entry and answer with it. */
export type WriteRoute = 'record' | 'attest' | 'feedback' | 'endorse' | 'allocate' | 'openDispute' | 'resolveDispute'

/** Writes one entry and prints it: its id for people, the entry with --json. */
export async function writeEntry<N extends WriteRoute> (ctx: Context, name: N, input: Input<N>, what: string): Promise<void> {
  const client = await ctx.client()
  const result: Output<WriteRoute> = await client.call(name, input, { signal: ctx.signal })
  if (!ctx.out.json) ctx.out.message(`${what} ${result.entry.id}`)
  ctx.out.result(result, () => result.entry.id)
}

export function registerContrib (program: Command): void {
  const contrib = program
    .command('contrib')
    .description("record contributions in an organization's ledger, review, rate, endorse and allocate")

  contrib
    .command('record')
    .description('record a contribution of yours (a member or agent); prints its id. With --task and no --effort: the contribution of a done task you hold')
    .argument('[summary]', "what was done (at most 1000 characters; from a task, default its title)")
    .option('--effort <points>', 'effort in points (recommended unit: a hundredth of an hour); without it, --task records from the task', integer(0, 100_000))
    .option('--kind <kind>', 'work, review, coordination, innovation or feedback', 'work')
    .option('--task <task>', 'the task: id, id prefix or title', taskId)
    .option('--board <board>', "the task's board (default, from a task: the one board held here that has it)", boardId)
    .option('--evidence <link>', 'a link or CID showing the work (repeatable)', repeatable)
    .option('--period <YYYY-MM>', 'the period (default: this month)', period)
    .option(...LEDGER_OPTION)
    .action(async (summary: string | undefined, o: { effort?: number, kind: string, task?: string, board?: string, evidence?: string[], period?: string, ledger?: string }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      if (o.effort === undefined) {
        if (o.task === undefined) throw new UsageError('give --effort <points>, or --task <task> to record a done task you hold')
        await recordTask(ctx, { task: o.task, board: o.board, summary, evidence: o.evidence, period: o.period }, o.ledger)
        return
      }
      if (summary === undefined) throw new UsageError('say what was done: mutual contrib record <summary> --effort <points>')
      const ledger = await ledgerOf(ctx, o.ledger)
      await writeEntry(ctx, 'record', {
        params: { ledger },
        body: { summary, effort: o.effort, kind: o.kind as Body<'record'>['kind'], task: o.task, board: o.board, evidence: o.evidence, period: o.period }
      }, 'recorded contribution')
    })

  contrib
    .command('attest')
    .description("attest another's contribution (a reviewer, never the author)")
    .argument('<contribution>', 'the contribution id', entryId)
    .option('--reject', 'reject it (default: accept)')
    .requiredOption('--quality <0-5>', 'quality, 0 to 5', integer(0, 5))
    .option('--note <text>', 'a note')
    .option(...LEDGER_OPTION)
    .action(async (contribution: string, o: { reject?: boolean, quality: number, note?: string, ledger?: string }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const ledger = await ledgerOf(ctx, o.ledger)
      await writeEntry(ctx, 'attest', {
        params: { ledger },
        body: { contribution, verdict: o.reject === true ? 'reject' : 'accept', quality: o.quality, note: o.note }
      }, 'attested with')
    })

  contrib
    .command('feedback')
    .description('rate a delivered task (a consumer, once per task)')
    .argument('<task>', 'the task: id, id prefix or title', taskId)
    .requiredOption('--satisfaction <1-5>', 'how satisfied, 1 to 5', integer(1, 5))
    .option('--board <board>', "the task's board", boardId)
    .option('--note <text>', 'a note')
    .option(...LEDGER_OPTION)
    .action(async (task: string, o: { satisfaction: number, board?: string, note?: string, ledger?: string }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const ledger = await ledgerOf(ctx, o.ledger)
      await writeEntry(ctx, 'feedback', { params: { ledger }, body: { task, satisfaction: o.satisfaction, board: o.board, note: o.note } }, 'rated with')
    })

  contrib
    .command('endorse')
    .description("endorse another member's contribution")
    .argument('<contribution>', 'the contribution id', entryId)
    .option('--note <text>', 'a note')
    .option(...LEDGER_OPTION)
    .action(async (contribution: string, o: { note?: string, ledger?: string }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const ledger = await ledgerOf(ctx, o.ledger)
      await writeEntry(ctx, 'endorse', { params: { ledger }, body: { contribution, note: o.note } }, 'endorsed with')
    })

  contrib
    .command('allocate')
    .description("split this period's allocation budget among peers: `mutual contrib allocate <id>=<points>...`")
    .argument('<allocation...>', 'identity=points pairs')
    .option('--period <YYYY-MM>', 'the period (default: this month)', period)
    .option(...LEDGER_OPTION)
    .action(async (pairs: string[], o: { period?: string, ledger?: string }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const points = pairs.map((pair) => {
        const at = pair.lastIndexOf('=')
        const n = Number(pair.slice(at + 1))
        if (at <= 0 || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`"${pair}" is not identity=points`)
        return [pair.slice(0, at), n] as [string, number]
      })
      const ledger = await ledgerOf(ctx, o.ledger)
      await writeEntry(ctx, 'allocate', { params: { ledger }, body: { period: o.period, points } }, 'allocated with')
    })

  contrib
    .command('list')
    .description('list contributions, optionally of one period')
    .option('--period <YYYY-MM>', 'only this period', period)
    .option(...LEDGER_OPTION)
    .action(async (o: { period?: string, ledger?: string }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const ledger = await ledgerOf(ctx, o.ledger)
      const client = await ctx.client()
      const result = await client.call('contributions', { params: { ledger }, query: { period: o.period } }, { signal: ctx.signal })
      if (!ctx.out.json && result.contributions.length === 0) {
        ctx.out.message('no contributions (record one with `mutual contrib record <summary> --effort <points>`)')
        return
      }
      await showNamed(ctx, client, result, (style, names) => table(style, ['CONTRIBUTION', 'PERIOD', 'AUTHOR', 'KIND', 'EFFORT', 'ATTESTED', 'SUMMARY'], result.contributions.map((c) => [
        c.id, String(field(c, 'period')), named(names, c.author), String(field(c, 'kind')), String(field(c, 'effort')), String(c.attestations.length), String(field(c, 'summary')).slice(0, 60)
      ])))
    })

  contrib
    .command('show')
    .description('show a contribution with its attestations, endorsements and disputes')
    .argument('<contribution>', 'the contribution id', entryId)
    .option(...LEDGER_OPTION)
    .action(async (id: string, o: { ledger?: string }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const ledger = await ledgerOf(ctx, o.ledger)
      const client = await ctx.client()
      const c = await client.call('contribution', { params: { ledger, id } }, { signal: ctx.signal })
      await showNamed(ctx, client, c, (style, names) => fields(style, [
        ['contribution', c.id],
        ['author', named(names, c.author, c.author)],
        ['period', shown(field(c, 'period'))],
        ['kind', shown(field(c, 'kind'))],
        ['effort', shown(field(c, 'effort'))],
        ['task', c.task === null ? '-' : `${c.task.title === null ? c.task.task : `${c.task.title} (${c.task.task})`}${c.task.board === null ? '' : ` on ${named(names, c.task.board)}`}`],
        ['summary', shown(field(c, 'summary'))],
        ['evidence', shown(field(c, 'evidence'))],
        ['asked to attest', c.requested.map((r) => `${named(names, r.reviewer)}: ${r.attested ? `attested (${r.verdict ?? ''})` : 'not yet'}`)],
        ['attestations', c.reviews.map((a) => `${a.verdict} q${a.quality} by ${named(names, a.author)}${a.note === '' ? '' : `: ${a.note}`}`)],
        ['feedback', c.feedback.map((f) => `${f.satisfaction}/5 by ${named(names, f.author)}${f.note === null ? '' : `: ${f.note}`}`)],
        ['endorsements', c.endorsements.map((e) => named(names, e.author))],
        ['disputes', c.outcomes.flatMap((d) => [
          `${d.id} by ${named(names, d.opener)}: ${d.reason}`,
          d.status === 'open'
            ? '  open'
            : `  ${d.status}${d.void ? ', voided' : ''} by ${d.decidedBy.map((id) => named(names, id)).join(' and ')}`,
          ...d.resolutions.map((r) => `  resolution by ${named(names, r.author)}: ${r.outcome}${r.void ? ' (void)' : ''}${r.note === '' ? '' : `: ${r.note}`}`)
        ])]
      ]))
    })
}

/** `contrib record --task`: the contribution of a done task this node holds. */
async function recordTask (ctx: Context, body: Body<'recordTask'>, option: string | undefined): Promise<void> {
  const ledger = await ledgerOf(ctx, option)
  const client = await ctx.client()
  const r = await client.call('recordTask', { params: { ledger }, body }, { signal: ctx.signal })
  if (!ctx.out.json) {
    const asked = r.reviewers.length === 0 ? 'nobody (the org has no other reviewer)' : r.reviewers.map((id) => named({}, id)).join(', ')
    ctx.out.message(`recorded contribution ${r.entry.id} from task "${r.task.title ?? r.task.task}" (effort ${r.effort}); asked to attest: ${asked}`)
  }
  ctx.out.result(r, () => r.entry.id)
}

/** A field of an entry's body: the contract types bodies as unknown (each record type has its own). */
function field (entry: Entry, key: string): unknown {
  return typeof entry.body === 'object' && entry.body !== null ? (entry.body as Record<string, unknown>)[key] : undefined
}

/** A body field as `fields` shows it: a list line by line, anything else as its string. */
function shown (value: unknown): string | string[] {
  return Array.isArray(value) ? value.map(String) : String(value)
}
