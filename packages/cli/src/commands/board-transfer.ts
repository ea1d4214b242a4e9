import { readFileSync, writeFileSync } from 'node:fs'
import { Option, type Command } from 'commander'
import { contextFromArgs } from '../context.js'
import { UsageError } from '../errors.js'
import { plural } from '../format.js'
import { table } from '../output.js'
import { boardId } from './args.js'

/** `mutual board export` and `mutual board import`: a board's tasks out as JSON or CSV, and CSV files of other tools in. */
export function registerBoardTransfer (program: Command): void {
  const board = program.commands.find((c) => c.name() === 'board')
  if (board === undefined) throw new Error('register the board command first')

  board
    .command('export')
    .description('the board as JSON (name, workflow, tasks with holders, comments and history) or CSV (one row per task), on stdout or to a file')
    .argument('<board>', 'the board: id, id prefix or name', boardId)
    .addOption(new Option('--format <format>', 'json or csv').choices(['json', 'csv']).default('json'))
    .option('--output <file>', 'write it to this file instead of stdout')
    .action(async (id: string, o: { format: 'json' | 'csv', output?: string }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = o.format === 'csv'
        ? await client.call('exportBoardCsv', { params: { board: id } }, { signal: ctx.signal })
        : await client.call('exportBoard', { params: { board: id } }, { signal: ctx.signal })
      // The CSV as it is; the JSON export is the route's answer, with --json or without.
      const text = 'csv' in result ? result.csv : `${JSON.stringify(result, null, 2)}\n`
      const count = 'csv' in result ? result.rows : result.tasks.length
      if (o.output === undefined) {
        ctx.out.result(result, () => text.trimEnd())
        return
      }
      writeFileSync(o.output, text)
      ctx.out.message(`exported ${plural(count, 'task')} of board "${result.name}" as ${o.format.toUpperCase()} to ${o.output}`)
    })

  board
    .command('import')
    .description('add the rows of a CSV file (a Trello, Jira or GitHub export, or `board export --format csv`) as tasks, in one change')
    .argument('<board>', 'the board: id, id prefix or name', boardId)
    .argument('<file>', 'the CSV file (columns title, description, status, labels, estimate, due, by their usual names)')
    .action(async (id: string, file: string, _o: unknown, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      let csv: string
      try {
        csv = readFileSync(file, 'utf8')
      } catch (err) {
        throw new UsageError(`cannot read ${file}: ${(err as Error).message}`, { cause: err })
      }
      const client = await ctx.client()
      const r = await client.call('importBoard', { params: { board: id }, body: { csv } }, { signal: ctx.signal })
      if (!ctx.out.json) {
        for (const row of r.refused) ctx.out.message(`line ${row.line}: refused: ${row.reason}`)
        ctx.out.message(`imported ${plural(r.imported.length, 'task')}${r.refused.length === 0 ? '' : `; ${plural(r.refused.length, 'row')} refused`}`)
      }
      ctx.out.result(r, (style) => r.imported.length === 0 ? '' : table(style, ['LINE', 'TASK', 'STATUS', 'TITLE'], r.imported.map((t) => [String(t.line), t.id, t.status, t.title])))
    })
}
