import { InvalidArgumentError, type Command } from 'commander'
import { NOTE_TYPE } from '@mutual/protocol'
import { identityId, ref, refs } from './args.js'
import { contextFromArgs } from '../context.js'
import { UsageError } from '../errors.js'
import { bodySummary, wallTime } from '../format.js'
import { table } from '../output.js'

const spaceId = ref('space')

function integer (min: number, max: number): (text: string) => number {
  return (text) => {
    const n = Number(text)
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`)
    return n
  }
}

export function registerSpace (program: Command): void {
  const space = program
    .command('space')
    .description('create, list, join and write spaces (replicated logs)')

  space
    .command('create')
    .description('create a space; prints its id')
    .argument('<name>', 'a name for people (at most 200 characters)')
    .option('--writer <id>', 'an identity allowed to write besides you: id, prefix or name (repeatable)', refs('identity'))
    .option('--open', 'anyone may write (no writer list)')
    .action(async (name: string, options: { writer?: string[], open?: boolean }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      if (options.open === true && options.writer !== undefined) throw new UsageError('--open and --writer exclude each other')
      const client = await ctx.client()
      const result = await client.call('createSpace', {
        body: { name, writers: options.writer ?? [], open: options.open === true }
      }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message(`created space "${name}"`)
      ctx.out.result(result, () => result.space)
    })

  space
    .command('list')
    .description('list the spaces this node holds')
    .action(async (...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('listSpaces', {}, { signal: ctx.signal })
      if (!ctx.out.json && result.spaces.length === 0) {
        ctx.out.message('no spaces yet (create one with `mutual space create <name>`)')
        return
      }
      ctx.out.result(result, (style) => table(style, ['SPACE', 'NAME', 'KIND', 'AUTHORS', 'ENTRIES'], result.spaces.map((s) => [
        s.space, s.name, s.kind, String(s.authors), String(s.entries)
      ])))
    })

  space
    .command('join')
    .description('replicate a space held by peers')
    .argument('<space>', 'the space: id, id prefix or name', spaceId)
    .action(async (id: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('joinSpace', { params: { space: id } }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message('joined; entries arrive as peers send them (see `mutual space entries`)')
      ctx.out.result(result, () => result.space)
    })

  space
    .command('append')
    .description(`append an entry: a ${NOTE_TYPE} with <text>, or --type and --body; prints its id`)
    .argument('<space>', 'the space: id, id prefix or name', spaceId)
    .argument('[text]', `the text of a ${NOTE_TYPE}`)
    .option('--type <type>', 'record type of the entry')
    .option('--body <json>', 'body of the entry as JSON')
    .action(async (id: string, text: string | undefined, options: { type?: string, body?: string }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const { type, body } = entryOf(text, options)
      const client = await ctx.client()
      const entry = await client.call('append', { params: { space: id }, body: { type, body } }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message(`appended ${entry.type} #${entry.seq}`)
      ctx.out.result(entry, () => entry.id)
    })

  space
    .command('entries')
    .description('list entries, by author then sequence number')
    .argument('<space>', 'the space: id, id prefix or name', spaceId)
    .option('--author <id>', 'only this author: id, prefix or name', identityId)
    .option('--from <seq>', 'from this sequence number (of each author)', integer(1, Number.MAX_SAFE_INTEGER))
    .option('--limit <n>', 'at most this many (default 100)', integer(1, 1000))
    .action(async (id: string, options: { author?: string, from?: number, limit?: number }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('entries', {
        params: { space: id },
        query: { author: options.author, from: options.from, limit: options.limit }
      }, { signal: ctx.signal })
      ctx.out.result(result, (style) => table(style, ['AUTHOR', 'SEQ', 'TIME', 'TYPE', 'BODY'], result.entries.map((e) => [
        e.author, String(e.seq), wallTime(e.ts[0]), e.type, bodySummary(e.type, e.body)
      ])))
    })

  space
    .command('vector')
    .description('show the version vector: the last entry held of each author')
    .argument('<space>', 'the space: id, id prefix or name', spaceId)
    .action(async (id: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('vector', { params: { space: id } }, { signal: ctx.signal })
      ctx.out.result(result, (style) => table(style, ['AUTHOR', 'SEQ', 'HEAD', 'FROZEN'], Object.entries(result.vector).map(([author, v]) => [
        author, String(v.seq), v.head, v.frozenAt === undefined ? '' : style.red(`at ${v.frozenAt}`)
      ])))
    })
}

function entryOf (text: string | undefined, options: { type?: string, body?: string }): { type: string, body: unknown } {
  if (text !== undefined) {
    if (options.type !== undefined || options.body !== undefined) throw new UsageError('give either <text> or --type and --body, not both')
    return { type: NOTE_TYPE, body: { text } }
  }
  if (options.type === undefined || options.body === undefined) throw new UsageError('give <text>, or both --type and --body')
  try {
    return { type: options.type, body: JSON.parse(options.body) }
  } catch (err) {
    throw new UsageError(`--body is not JSON: ${(err as Error).message}`)
  }
}
