import type { Command } from 'commander'
import type { NameKind } from '@mutual/client'
import { isIdentityId, parseCid } from '@mutual/protocol'
import { contextOf } from './context.js'
import { kindOf } from './commands/args.js'

interface Slot {
  kind: NameKind
  value: string | string[]
  set: (value: string | string[]) => void
}

/**
 * Turns every id argument and option of the command about to run (those parsed by `ref` or
 * `refs` in args.ts) into the id it means: a whole id, an unambiguous id prefix, or a name this
 * node knows (a profile name, an alias, a space's name, a task's title on its board). The
 * daemon decides (`GET /api/v1/resolve`), so the web UI resolves alike; AmbiguousNameError (exit 2)
 * and UnknownNameError (exit 4) come from there. Boards resolve before tasks, which need them.
 * Installed once, as the program's `preAction` hook, so every command gets it.
 */
export async function resolveIds (command: Command): Promise<void> {
  const slots: Slot[] = []
  command.registeredArguments.forEach((argument, i) => {
    const kind = kindOf(argument.parseArg)
    const value = command.processedArgs[i] as string | string[] | undefined
    if (kind !== undefined && value !== undefined) slots.push({ kind, value, set: (v) => { command.processedArgs[i] = v } })
  })
  for (const option of command.options) {
    const kind = kindOf(option.parseArg)
    const key = option.attributeName()
    const value = command.getOptionValue(key) as string | string[] | undefined
    if (kind !== undefined && value !== undefined) slots.push({ kind, value, set: (v) => { command.setOptionValue(key, v) } })
  }
  // A whole id is taken as it is, as the daemon would (an identity slot may take a credential
  // id instead, as `org revoke` does): no round trip, and no daemon needed before usage checks.
  const whole = (kind: NameKind, q: string): boolean => kind !== 'task' && (parseCid(q) !== undefined || (kind === 'identity' && isIdentityId(q)))
  if (slots.every((s) => [s.value].flat().every((v) => whole(s.kind, v)))) return
  const ctx = contextOf(command)
  const client = await ctx.client()
  const one = async (kind: NameKind, q: string, board?: string): Promise<string> => {
    if (whole(kind, q)) return q
    return (await client.call('resolve', { query: { kind, q, board } }, { signal: ctx.signal })).id
  }
  const each = async (slot: Slot, board?: string): Promise<void> => {
    slot.value = Array.isArray(slot.value)
      ? await Promise.all(slot.value.map(async (v) => await one(slot.kind, v, board)))
      : await one(slot.kind, slot.value, board)
    slot.set(slot.value)
  }
  for (const slot of slots.filter((s) => s.kind !== 'task')) await each(slot)
  const tasks = slots.filter((s) => s.kind === 'task')
  if (tasks.length === 0) return
  const board = slots.find((s) => s.kind === 'board')?.value
  for (const slot of tasks) {
    // Without a board a task id is taken as it is (a contribution may name a task on no board held here).
    if (typeof board === 'string') await each(slot, board)
  }
}
