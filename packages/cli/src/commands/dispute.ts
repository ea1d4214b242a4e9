import type { Command } from 'commander'
import type { Body } from '@mutual/client'
import { contextFromArgs } from '../context.js'
import { LEDGER_OPTION, entryId, ledgerOf, writeEntry } from './contrib.js'

export function registerDispute (program: Command): void {
  const dispute = program
    .command('dispute')
    .description('dispute a contribution, and resolve disputes (an auditor, or an admin and a union-rep together)')

  dispute
    .command('open')
    .description('dispute a contribution; prints the dispute id')
    .argument('<contribution>', 'the contribution id', entryId)
    .requiredOption('--reason <text>', 'why')
    .option(...LEDGER_OPTION)
    .action(async (target: string, o: { reason: string, ledger?: string }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const ledger = await ledgerOf(ctx, o.ledger)
      await writeEntry(ctx, 'openDispute', { params: { ledger }, body: { target, reason: o.reason } }, 'opened dispute')
    })

  dispute
    .command('resolve')
    .description('resolve a dispute: upheld (with --void to remove the contribution from the distribution) or dismissed')
    .argument('<dispute>', 'the dispute id', entryId)
    .argument('<outcome>', 'upheld or dismissed')
    .option('--void', 'with upheld: void the disputed contribution')
    .option('--note <text>', 'a note')
    .option(...LEDGER_OPTION)
    .action(async (id: string, outcome: string, o: { void?: boolean, note?: string, ledger?: string }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const ledger = await ledgerOf(ctx, o.ledger)
      await writeEntry(ctx, 'resolveDispute', {
        params: { ledger, id },
        body: { outcome: outcome as Body<'resolveDispute'>['outcome'], void: o.void, note: o.note }
      }, 'resolved with')
    })
}
