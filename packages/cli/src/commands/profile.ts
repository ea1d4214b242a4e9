import { InvalidArgumentError, type Command } from 'commander'
import type { Body, Profile } from '@mutual/client'
import { contextFromArgs } from '../context.js'
import { named, plural, type Names } from '../format.js'
import { showNamed } from '../names.js'
import { fields, table, type Style } from '../output.js'
import { identityId } from './args.js'

const KINDS = ['person', 'agent', 'organization']

function kindArg (text: string): string {
  if (!KINDS.includes(text)) throw new InvalidArgumentError(`a kind is one of ${KINDS.join(', ')}`)
  return text
}

function renderProfile (style: Style, p: Profile, names: Names): string {
  return fields(style, [
    ['identity', p.identity],
    ['name', p.name],
    ['kind', p.kind],
    ['description', p.description === '' ? '-' : p.description],
    ['signed', p.at === undefined ? 'not published yet (this node writes no space)' : `${p.at} in ${named(names, p.space ?? '')}`]
  ])
}

/** `mutual profile set|show`: this node's signed profile, and the profiles of others. */
export function registerProfile (program: Command): void {
  const profile = program.command('profile').description('signed profiles: a display name, a description and a kind for an identity')

  profile.command('set')
    .description('sign this node\'s profile and publish it in every space it may write (and later in each it gains)')
    .requiredOption('--name <name>', 'a display name (1 to 64 characters)')
    .option('--description <text>', 'a short description (at most 280 characters)')
    .option('--kind <kind>', 'person, agent or organization (default person, or as before)', kindArg)
    .action(async (options: { name: string, description?: string, kind?: string }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('setProfile', {
        body: { name: options.name, description: options.description, kind: options.kind as Body<'setProfile'>['kind'] }
      }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message(`profile "${result.profile.name}" published in ${plural(result.published.length, 'space')}`)
      await showNamed(ctx, client, result, (style, names) => table(style, ['PUBLISHED IN'], result.published.map((s) => [named(names, s, s)])))
    })

  profile.command('show')
    .description('show a profile: this node\'s, or an identity\'s (id, prefix, name or alias)')
    .argument('[identity]', 'the identity: id, id prefix, name or alias', identityId)
    .action(async (id: string | undefined, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const who = id ?? (await client.call('id', {}, { signal: ctx.signal })).id
      const result = await client.call('profile', { params: { id: who } }, { signal: ctx.signal })
      await showNamed(ctx, client, result, (style, names) => renderProfile(style, result, names))
    })
}

/** `mutual alias set|list|remove`: local nicknames of identities, kept on this node only. */
export function registerAlias (program: Command): void {
  const alias = program.command('alias').description('local nicknames for identities (kept on this node, never shared)')

  alias.command('set')
    .description('call an identity by a nickname here')
    .argument('<nickname>', 'one word')
    .argument('<identity>', 'the identity: id, id prefix or name', identityId)
    .action(async (nickname: string, id: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('setAlias', { params: { alias: nickname }, body: { id } }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message(`${result.alias} is ${result.id}`)
      ctx.out.result(result, () => '')
    })

  alias.command('list')
    .description('the nicknames set here')
    .action(async (...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('aliases', {}, { signal: ctx.signal })
      if (!ctx.out.json && result.aliases.length === 0) {
        ctx.out.message('no aliases (set one with `mutual alias set <nickname> <identity>`)')
        return
      }
      ctx.out.result(result, (style) => table(style, ['ALIAS', 'IDENTITY', 'PROFILE NAME'], result.aliases.map((a) => [a.alias, a.id, a.name === '' ? '-' : a.name])))
    })

  alias.command('remove')
    .description('forget a nickname')
    .argument('<nickname>', 'the nickname')
    .action(async (nickname: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('removeAlias', { params: { alias: nickname } }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message(`removed alias ${result.alias} (${result.id})`)
      ctx.out.result(result, () => '')
    })
}
