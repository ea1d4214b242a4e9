import type { Command } from 'commander'
import { contextFromArgs } from '../context.js'
import { UsageError } from '../errors.js'
import { named } from '../format.js'
import { showNamed } from '../names.js'
import { fields, table, type Style } from '../output.js'
import type { Names } from '../format.js'
import type { Output } from '@mutual/client'
import { LEDGER_OPTION, entryId, ledgerOf, period } from './contrib.js'

/** `mutual shares verify` found the settlement does not match: exit code 1. */
export class SettlementMismatchError extends Error {
  override name = 'SettlementMismatchError'
}

/**
 * A subcommand's options with those given to `shares` itself: `mutual shares settle --period P`
 * hands `--period` to `shares` (commander parses parent options anywhere on the line).
 */
function merged<T> (args: unknown[]): T {
  const command = args[args.length - 1] as Command
  return command.optsWithGlobals() as T
}

const percent = (ppm: number): string => `${(ppm / 10_000).toFixed(4)} %`

export function registerShares (program: Command): void {
  const shares = program
    .command('shares')
    .description("a period's value distribution (parts per million), and settlements of it")
    .option('--period <YYYY-MM>', 'the period (default: this month)', period)
    .option('--explain', 'explain every contribution: counted or why not')
    .option(...LEDGER_OPTION)
    .action(async (o: { period?: string, explain?: boolean, ledger?: string }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const ledger = await ledgerOf(ctx, o.ledger)
      const client = await ctx.client()
      const query = { period: o.period, explain: o.explain === true ? 'true' as const : undefined }
      const r = await client.call('shares', { params: { ledger }, query }, { signal: ctx.signal })
      await showNamed(ctx, client, r, (style, names) => {
        const head = fields(style, [
          ['period', r.period],
          ['policy', r.policy.default ? 'default (the org has enacted none)' : `version ${r.policy.enacted}, ratified by ${r.policy.ratifiedBy}`],
          ['weights', weightsText(r.policy.weights)],
          ['min attestations', r.policy.minAttestations],
          ['inputs', r.inputs],
          ['hash', r.hash]
        ])
        const body = r.shares.length === 0
          ? 'no shares: nothing counted this period'
          : table(style, ['PARTICIPANT', 'PPM', 'SHARE', 'AGENTS'], r.shares.map((s) => [named(names, s.participant, s.participant), String(s.ppm), percent(s.ppm), s.agents.map((a) => named(names, a)).join(', ')]))
        const explain = r.distribution === undefined ? '' : '\n\n' + explanation(style, r.policy, r.distribution, names)
        return `${head}\n\n${body}${explain}`
      })
    })

  shares
    .command('settle')
    .description("sign a settlement of a period: the hash of its distribution (an admin, union-rep or auditor)")
    .option('--period <YYYY-MM>', 'the period (required)', period)
    .option(...LEDGER_OPTION)
    .action(async (_o: unknown, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const o = merged<{ period?: string, ledger?: string }>(args)
      if (o.period === undefined) throw new UsageError('name the period to settle: --period YYYY-MM')
      const ledger = await ledgerOf(ctx, o.ledger)
      const client = await ctx.client()
      const r = await client.call('settle', { params: { ledger }, body: { period: o.period } }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message(`settled ${o.period}: ${r.hash}; anyone can check it with \`mutual shares verify ${r.entry.id}\``)
      ctx.out.result(r, () => r.entry.id)
    })

  shares
    .command('verify')
    .description('recompute a settlement from the entries held here; exits non-zero when it does not match')
    .argument('<settlement>', 'the settlement entry id', entryId)
    .option(...LEDGER_OPTION)
    .action(async (id: string, _o: unknown, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const o = merged<{ ledger?: string }>(args)
      const ledger = await ledgerOf(ctx, o.ledger)
      const client = await ctx.client()
      const r = await client.call('verifySettlement', { params: { ledger, id } }, { signal: ctx.signal })
      ctx.out.result(r, (style) => fields(style, [
        ['settlement', r.ok ? style.green('verified') : style.red('does NOT match')],
        ['period', r.period],
        ['expected', r.expected],
        ['actual', r.actual],
        ['missing', r.missing],
        ['extra', r.extra]
      ]))
      if (!r.ok) throw new SettlementMismatchError(`settlement ${id} does not match the entries held here (${r.missing.length} missing, ${r.extra.length} extra)`)
    })
}

type SharesResult = Output<'shares'>
type Weights = SharesResult['policy']['weights']

function weightsText (w: Weights): string {
  return `effort ${w.effort}, quality ${w.quality}, satisfaction ${w.satisfaction}, endorsement ${w.endorsement}, allocation ${w.allocation} (basis points of 10000)`
}

/**
 * Every number that makes the shares (the ledger package README has the rules): per contribution
 * its signals and what it adds, per participant the raw components, and the totals. A share is
 * Σ weight × component ÷ total over the components whose total is not zero, apportioned into
 * 1,000,000 parts by largest remainder.
 */
function explanation (style: Style, policy: SharesResult['policy'], d: NonNullable<SharesResult['distribution']>, names: Names): string {
  const contributions = table(style, ['CONTRIBUTION', 'AUTHOR', 'COUNTED', 'EFFORT', 'ACCEPTS', 'QUALITY', 'RATINGS', 'SATISFACTION', 'ENDORSEMENTS'], d.contributions.map((c) => [
    c.id, named(names, c.author), c.counted ? 'yes' : `no: ${c.reason ?? ''}`, String(c.effort), `${c.accepts}/${c.accepts + c.rejects}`,
    String(c.quality), String(c.ratings), String(c.satisfaction), String(c.endorsements)
  ]))
  const row = (who: string, c: { effort: number, quality: number, satisfaction: number, endorsement: number, allocation: number }): string[] =>
    [who, String(c.effort), String(c.quality), String(c.satisfaction), String(c.endorsement), String(c.allocation)]
  const w = policy.weights
  const components = table(style, ['COMPONENTS', 'EFFORT', 'QUALITY', 'SATISFACTION', 'ENDORSEMENT', 'ALLOCATION'], [
    ...d.participants.map((p) => row(named(names, p.id), p.components)),
    row('total', d.totals),
    row('weight', { effort: w.effort, quality: w.quality, satisfaction: w.satisfaction, endorsement: w.endorsement, allocation: w.allocation })
  ])
  return [
    contributions,
    'quality: mean reviewer quality × 1000; satisfaction: mean (rating − 1) × 1000; a counted contribution adds effort, effort × quality, effort × satisfaction and its endorsements',
    '',
    components,
    "share = Σ weight × component ÷ total (components with a zero total drop out), in parts per million by largest remainder"
  ].join('\n')
}
