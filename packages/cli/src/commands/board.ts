import type { Command } from 'commander'
import type { Body, BoardDetail, Task, Workflow } from '@mutual/client'
import { contextFromArgs } from '../context.js'
import { holderText, named, plural, shortId, type Names } from '../format.js'
import { showNamed } from '../names.js'
import { fields, table, type Style } from '../output.js'
import { UsageError } from '../errors.js'
import { boardId, durationSeconds, identityId, integer, jsonValue, orgId } from './args.js'

export function registerBoard (program: Command): void {
  const board = program
    .command('board')
    .description('create, show and share task boards')

  board
    .command('create')
    .description('create a board; prints its id')
    .argument('<name>', 'a name for people (at most 200 characters)')
    .option('--workflow <json>', 'the workflow as JSON: {"states":[{"id","name","wip"?}],"transitions"?:{…},"done"} (default todo → doing → review → done)', jsonValue)
    .option('--org <org>', 'the organization it belongs to: its members write it, and `mutual org revoke` cuts a member off (default: the only org you administer)', orgId)
    .option('--personal', 'a personal board even if you administer an org: you invite and remove its writers')
    .option('--private', 'encrypted: only its readers can read it (the org\'s members, rotated out when revoked; or on a personal board, you and the writers you invite)')
    .action(async (name: string, options: { workflow?: unknown, org?: string, personal?: boolean, private?: boolean }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      if (options.org !== undefined && options.personal === true) throw new UsageError('give --org or --personal, not both')
      const client = await ctx.client()
      const result = await client.call('createBoard', {
        body: { name, workflow: options.workflow as Body<'createBoard'>['workflow'], org: options.org, personal: options.personal, private: options.private === true ? true : undefined }
      }, { signal: ctx.signal })
      if (!ctx.out.json) {
        const where = result.org === null
          ? 'as a personal board (invite writers with `mutual board invite`)'
          : `in organization "${result.orgName ?? ''}" (${shortId(result.org)}): its members write it`
        ctx.out.message(`created board "${name}" ${where}; add tasks with \`mutual task add ${result.board} <title>\``)
      }
      ctx.out.result(result, () => result.board)
    })

  board
    .command('list')
    .description('list the boards this node holds')
    .action(async (...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('listBoards', {}, { signal: ctx.signal })
      if (!ctx.out.json && result.boards.length === 0) {
        ctx.out.message('no boards yet (create one with `mutual board create <name>`, or join one with `mutual join <ticket>`)')
        return
      }
      await showNamed(ctx, client, result, (style, names) => table(style, ['BOARD', 'NAME', 'TASKS', 'WRITERS', 'CREATOR'], result.boards.map((b) => [
        b.board, b.name, String(b.tasks), String(b.writers.length + 1), named(names, b.creator)
      ])))
    })

  board
    .command('show')
    .description('show a board: tasks by workflow state, workload per person, sync state')
    .argument('<board>', 'the board: id, id prefix or name', boardId)
    .action(async (id: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('board', { params: { board: id } }, { signal: ctx.signal })
      await showNamed(ctx, client, result, (style, names) => renderBoard(style, result, names))
    })

  board
    .command('workflow')
    .description("show the board's workflow, change one thing in it, or replace it with --set")
    .argument('<board>', 'the board: id, id prefix or name', boardId)
    .argument('[change...]', WORKFLOW_CHANGES)
    .option('--set <json>', 'the new workflow as JSON (refused if it drops a state tasks are in)', jsonValue)
    .option('--name <name>', 'add-state: the state\'s name (default its id)')
    .option('--after <state>', 'add-state: the state it follows (default: just before the done state)')
    .action(async (id: string, words: string[], options: { set?: unknown, name?: string, after?: string }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      if (options.set !== undefined && words.length > 0) throw new UsageError('give --set or a change, not both')
      const change = words.length === 0 ? undefined : workflowChange(words, options)
      const client = await ctx.client()
      let workflow: Workflow
      if (change !== undefined) {
        workflow = (await client.call('changeWorkflow', { params: { board: id }, body: change }, { signal: ctx.signal })).workflow
        if (!ctx.out.json) ctx.out.message(`workflow changed: ${words.join(' ')}`)
      } else if (options.set !== undefined) {
        workflow = (await client.call('setWorkflow', { params: { board: id }, body: options.set as Body<'setWorkflow'> }, { signal: ctx.signal })).workflow
        if (!ctx.out.json) ctx.out.message('workflow replaced')
      } else {
        workflow = (await client.call('board', { params: { board: id } }, { signal: ctx.signal })).workflow
      }
      ctx.out.result({ workflow }, (style) => renderWorkflow(style, workflow))
    })

  board
    .command('invite')
    .description('invite someone to write the board; prints a ticket for `mutual join` (the creator only)')
    .argument('<board>', 'the board: id, id prefix or name', boardId)
    .option('--expires <duration>', 'how long the ticket works, e.g. 30m, 2h, 7d (default 7d)', durationSeconds)
    .option('--uses <n>', 'how many people may join with it (default 1)', integer(1, 10_000))
    .action(async (id: string, options: { expires?: number, uses?: number }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('createBoardInvite', { params: { board: id }, body: { expiresInSeconds: options.expires, uses: options.uses } }, { signal: ctx.signal })
      if (!ctx.out.json) {
        ctx.out.message(`invite ${result.id}: ${plural(result.uses, 'use')}, expires ${result.expires}; the invitee runs \`mutual join <ticket>\``)
      }
      ctx.out.result(result, () => result.ticket)
    })

  board
    .command('invites')
    .description("list the board's invites made here")
    .argument('<board>', 'the board: id, id prefix or name', boardId)
    .action(async (id: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('boardInvites', { params: { board: id } }, { signal: ctx.signal })
      if (!ctx.out.json && result.invites.length === 0) {
        ctx.out.message('no invites (make one with `mutual board invite <board>`)')
        return
      }
      ctx.out.result(result, (style) => table(style, ['INVITE', 'STATUS', 'USED', 'EXPIRES', 'CREATED'], result.invites.map((i) => [
        i.id, statusText(style, i.status), `${i.used}/${i.uses}`, i.expires, i.created
      ])))
    })

  board
    .command('remove-writer')
    .description("remove a writer from a personal board (its creator only): their later entries count on no node")
    .argument('<board>', 'the board: id, id prefix or name', boardId)
    .argument('<writer>', "the writer: identity id, prefix or name", identityId)
    .action(async (id: string, writer: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('removeWriter', { params: { board: id, writer } }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message(`removed ${shortId(writer)} from board ${shortId(id)}: their entries past seq ${result.seq} count nowhere`)
      ctx.out.result(result, () => result.entry)
    })

  board
    .command('revoke-invite')
    .description('revoke an invite: its ticket stops working')
    .argument('<board>', 'the board: id, id prefix or name', boardId)
    .argument('<invite>', 'the invite id (see `mutual board invites`)')
    .action(async (id: string, invite: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('revokeBoardInvite', { params: { board: id, id: invite } }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message(`revoked invite ${result.id} (${result.used} of ${plural(result.uses, 'use')} taken)`)
      ctx.out.result(result, () => '')
    })
}

export function registerJoin (program: Command): void {
  program
    .command('join')
    .description('join a board or an organization with an invite ticket; prints its id')
    .argument('<ticket>', 'the mutual1:… ticket from `mutual board invite` or `mutual invite`')
    .action(async (ticket: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      ctx.out.progress('reaching the inviter…')
      const result = await client.call('join', { body: { ticket } }, { signal: ctx.signal })
      if (result.kind === 'org') {
        if (!ctx.out.json) ctx.out.message(`joined organization "${result.name}" (credential ${result.credential}); see it with \`mutual org show ${result.org}\``)
        ctx.out.result(result, () => result.org)
        return
      }
      if (!ctx.out.json) ctx.out.message(`joined board "${result.name}"; see it with \`mutual board show ${result.board}\``)
      ctx.out.result(result, () => result.board)
    })
}

export function statusText (style: Style, status: string): string {
  return status === 'active' ? style.green(status) : style.dim(status)
}

const WORKFLOW_CHANGES = 'a change: set-wip <state> <n|none>, add-state <id> [--name] [--after], rename-state <id> <name>, ' +
  'remove-state <id>, allow <from> <to>, disallow <from> <to>, allow-any, set-done <state>, set-active <state>…|default'

/** The words after `board workflow <board>` as one change of the workflow; a usage error if they are not one. */
function workflowChange (words: string[], options: { name?: string, after?: string }): Body<'changeWorkflow'> {
  const [op, ...rest] = words
  const want = (n: number, usage: string): string[] => {
    if (rest.length !== n) throw new UsageError(`usage: mutual board workflow <board> ${op} ${usage}`.trimEnd())
    return rest
  }
  if (op !== 'add-state' && (options.name !== undefined || options.after !== undefined)) throw new UsageError('--name and --after go with add-state')
  switch (op) {
    case 'set-wip': {
      const [state, n] = want(2, '<state> <n|none>')
      if (n === 'none') return { op, state, wip: null }
      if (!/^[1-9]\d{0,6}$/.test(n)) throw new UsageError(`a WIP limit is a whole number from 1 (or none), not ${n}`)
      return { op, state, wip: Number(n) }
    }
    case 'add-state': {
      const [state] = want(1, '<id> [--name <name>] [--after <state>]')
      return { op, state, name: options.name, after: options.after }
    }
    case 'rename-state': {
      const [state, name] = want(2, '<id> <name>')
      return { op, state, name }
    }
    case 'remove-state':
    case 'set-done': {
      const [state] = want(1, '<state>')
      return { op, state }
    }
    case 'allow':
    case 'disallow': {
      const [from, to] = want(2, '<from> <to>')
      return { op, from, to }
    }
    case 'allow-any':
      want(0, '')
      return { op }
    case 'set-active':
      if (rest.length === 0) throw new UsageError('usage: mutual board workflow <board> set-active <state>… (or default)')
      return { op, states: rest.length === 1 && rest[0] === 'default' ? null : rest }
    default:
      throw new UsageError(`no workflow change "${op}": ${WORKFLOW_CHANGES}`)
  }
}

function renderWorkflow (style: Style, wf: Workflow): string {
  const active = new Set(wf.active ?? wf.states.slice(1).map((s) => s.id))
  const rows = wf.states.map((s) => [
    s.id,
    s.name,
    s.wip === undefined ? '-' : String(s.wip),
    wf.transitions === 'any' || wf.transitions[s.id] === undefined ? 'any' : wf.transitions[s.id].join(', ') || '(none)',
    active.has(s.id) ? 'yes' : '',
    s.id === wf.done ? 'yes' : ''
  ])
  return table(style, ['STATE', 'NAME', 'WIP', 'MOVES TO', 'ACTIVE', 'DONE'], rows)
}

/** Dependencies of a task that are on the board and not done. */
function waitingOn (b: BoardDetail, task: Task): number {
  const status = new Map(b.tasks.map((t) => [t.id, t.status]))
  return task.dependencies.filter((d) => status.has(d) && status.get(d) !== b.workflow.done).length
}

/** The board for people: a header, each workflow state's tasks as a table, workload and sync state. */
function renderBoard (style: Style, b: BoardDetail, names: Names): string {
  const authors = Object.keys(b.sync.vector).length
  const sections = [fields(style, [
    ['board', b.board],
    ['name', b.name],
    ['creator', named(names, b.creator, b.creator)],
    ['writers', b.writers.map((w) => named(names, w, w))],
    ['access', b.writable ? 'you may write' : style.yellow('read only: ask the creator for an invite')],
    ['sync', `${plural(b.sync.entries, 'entry', 'entries')} from ${plural(authors, 'author')}; ${b.sync.joined ? 'replicating' : 'not replicating'}; ${plural(b.sync.peers.length, 'peer')} connected; ${b.sync.pending} pending`]
  ])]
  const known = new Set(b.workflow.states.map((s) => s.id))
  const states = [...b.workflow.states, ...[...new Set(b.tasks.map((t) => t.status))].filter((s) => !known.has(s)).map((id) => ({ id, name: `${id} (not in the workflow)`, wip: undefined }))]
  for (const state of states) {
    const tasks = b.tasks.filter((t) => t.status === state.id)
    const count = state.wip === undefined ? `${tasks.length}` : `${tasks.length}/${state.wip}`
    const heading = style.bold(`${state.name} (${count})`)
    if (tasks.length === 0) {
      sections.push(`${heading}\n  ${style.dim('(none)')}`)
      continue
    }
    sections.push(heading + '\n' + table(style, ['TASK', 'TITLE', 'EST', 'HOLDER', 'LABELS', 'DUE'], tasks.map((t) => [
      t.id,
      t.title + (t.ready || t.status === b.workflow.done ? '' : style.dim(` (waits on ${plural(waitingOn(b, t), 'task')})`)) +
        (t.blocked ? style.red(' (blocked)') : '') + (t.overLimit ? style.yellow(' (over limit)') : ''),
      String(t.estimate),
      holderText(style, t, names),
      t.labels.join(', '),
      t.due ?? ''
    ])))
  }
  sections.push(style.bold('Workload') + '\n' + (b.workload.length === 0
    ? `  ${style.dim('(no open claimed tasks)')}`
    : table(style, ['PERSON', 'OPEN ESTIMATE'], b.workload.map((w) => [named(names, w.person, w.person), String(w.estimate)]))))
  return sections.join('\n\n')
}
