import type { Command } from 'commander'
import { contextFromArgs } from '../context.js'
import { DoctorWarningError } from '../errors.js'

export function registerDoctor (program: Command): void {
  program
    .command('doctor')
    .description('explain whether and how others can reach this node (exit 1 when a check warns)')
    .action(async (...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('doctor', {}, { signal: ctx.signal })
      ctx.out.result(result, (style) => result.checks
        .map((check) => `${check.ok ? style.green('ok  ') : style.yellow('warn')}  ${style.bold(check.name)}: ${check.detail}`)
        .join('\n'))
      const failed = result.checks.filter((check) => !check.ok).length
      // Scripts and supervisors read the exit code: a warning is not a clean bill of health.
      if (failed > 0) throw new DoctorWarningError(`${failed} of ${result.checks.length} checks need attention`)
    })
}
