import type { Command } from 'commander'
import { contextFromArgs } from '../context.js'
import { named } from '../format.js'
import { showNamed } from '../names.js'
import { fields } from '../output.js'
import { orgId, ref, refs } from './args.js'

const federationId = ref('federation')

export function registerFederation (program: Command): void {
  const federation = program.command('federation').description('federations of organizations, in force once each accepts')

  federation.command('create')
    .description('create a federation of organizations; prints its id')
    .argument('<name>', 'its name')
    .argument('<orgs...>', 'the member organizations\' ids', refs('org'))
    .action(async (name: string, orgs: string[], ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('createFederation', { body: { name, orgs } }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message('created; each organization\'s admin runs `mutual federation accept <federation> <org>`')
      ctx.out.result(result, () => result.federation)
    })

  federation.command('accept')
    .description('accept a federation for an organization this node administers')
    .argument('<federation>', 'the federation: id, id prefix or name', federationId)
    .argument('<org>', 'the org: id, id prefix or name', orgId)
    .action(async (id: string, org: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('acceptFederation', { params: { federation: id }, body: { org } }, { signal: ctx.signal })
      ctx.out.result(result, () => result.id)
    })

  federation.command('show')
    .description('show a federation: its organizations, which accepted, whether it is in force')
    .argument('<federation>', 'the federation: id, id prefix or name', federationId)
    .action(async (id: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('federation', { params: { federation: id } }, { signal: ctx.signal })
      await showNamed(ctx, client, result, (style, names) => fields(style, [
        ['federation', result.federation], ['name', result.name], ['creator', named(names, result.creator, result.creator)],
        ['orgs', result.orgs.map((o) => named(names, o, o))], ['accepted', result.accepted.map((o) => named(names, o, o))], ['in force', result.inForce]
      ]))
    })
}
