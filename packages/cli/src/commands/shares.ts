import type { Command } from 'commander'
import { contextFromArgs } from '../context.js'
import { UsageError } from '../errors.js'
import { named } from '../format.js'
import { showNamed } from '../names.js'
import { fields, table } from '../output.js'
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
          ['inputs', r.inputs],
          ['hash', r.hash]
        ])
        const body = r.shares.length === 0
          ? 'no shares: nothing counted this period'
          : table(style, ['PARTICIPANT', 'PPM', 'SHARE', 'AGENTS'], r.shares.map((s) => [named(names, s.participant, s.participant), String(s.ppm), percent(s.ppm), s.agents.map((a) => named(names, a)).join(', ')]))
        const explain = r.distribution === undefined
          ? ''
          : '\n\n' + table(style, ['CONTRIBUTION', 'AUTHOR', 'COUNTED', 'REASON'], r.distribution.contributions.map((c) => [
            c.id, named(names, c.author), c.counted ? 'yes' : 'no', c.reason ?? ''
          ]))
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
