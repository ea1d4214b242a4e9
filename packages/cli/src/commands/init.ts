import { basename } from 'node:path'
import type { Command } from 'commander'
import { contextFromArgs } from '../context.js'

export function registerInit (program: Command): void {
  program
    .command('init')
    .description('create the data directory, identity key and config; prints the identity id')
    .action(async (...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      // Loaded here only: the daemon package brings libp2p and the database with it.
      const { initHome } = await import('@mutual/daemon')
      const opened = await initHome(ctx.home)
      const created = opened.created.length > 0
      if (!ctx.out.json) {
        ctx.out.message(created
          ? `initialized ${ctx.home} (created ${opened.created.map((file) => basename(file)).join(', ')})`
          : `${ctx.home} already exists and is initialized; nothing changed`)
      }
      ctx.out.result({ id: opened.identity.id, home: ctx.home, created }, () => opened.identity.id)
    })
}
