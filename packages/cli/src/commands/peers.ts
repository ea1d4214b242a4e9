import type { Command } from 'commander'
import { contextFromArgs } from '../context.js'
import { table } from '../output.js'

export function registerPeers (program: Command): void {
  program
    .command('peers')
    .description('list connected peers')
    .action(async (...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('peers', {}, { signal: ctx.signal })
      if (!ctx.out.json && result.peers.length === 0) {
        ctx.out.message('no peers connected (see `mutual doctor`)')
        return
      }
      ctx.out.result(result, (style) => table(style, ['PEER', 'DIRECTION', 'LATENCY', 'SCORE', 'ADDRESS'], result.peers.map((p) => [
        p.id,
        p.direction,
        p.latencyMs === undefined ? '-' : `${Math.round(p.latencyMs)}ms`,
        p.score.toFixed(1),
        p.addresses[0] ?? '-'
      ])))
    })
}

export function registerConnect (program: Command): void {
  program
    .command('connect')
    .description('dial a peer by multiaddr and sync with it')
    .argument('<multiaddr>', 'for example /ip4/192.0.2.7/tcp/4001/p2p/12D3KooW…')
    .action(async (address: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      ctx.out.progress(`dialling ${address}…`)
      const result = await client.call('connect', { body: { address } }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message(`connected to ${result.id}`)
      ctx.out.result(result, () => result.id)
    })
}
