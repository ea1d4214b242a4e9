import type { Command } from 'commander'
import type { Claim, Task, TaskDetail } from '@mutual/client'
import { contextFromArgs } from '../context.js'
import { ClaimHeldError, UsageError } from '../errors.js'
import { holderText, named, type Names } from '../format.js'
import { showNamed } from '../names.js'
import { fields, table, type Style } from '../output.js'
import { boardId, estimate, identityId, repeatable, taskId } from './args.js'

interface FieldOptions {
  title?: string
  description?: string
  estimate?: number
  label?: string[]
  due?: string | null
}

export function registerTask (program: Command): void {
  const task = program
    .command('task')
    .description('add, move, claim and discuss the tasks of a board')

  task
    .command('add')
    .description('add a task at the end of its column; prints its id')
    .argument('<board>', 'the board: id, id prefix or name', boardId)
    .argument('<title>', 'what is to be done (at most 200 characters)')
    .option('--description <text>', 'details')
    .option('--status <state>', "a workflow state (default: the workflow's first)")
    .option('--estimate <points>', 'workload points', estimate)
    .option('--label <label>', 'a label (repeatable)', repeatable)
    .option('--due <date>', 'due date, YYYY-MM-DD or an ISO time')
    .action(async (board: string, title: string, options: FieldOptions & { status?: string }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const created = await client.call('addTask', {
        params: { board },
        body: { title, description: options.description, status: options.status, estimate: options.estimate, labels: options.label, due: options.due }
      }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message(`added task "${created.title}" (${created.status})`)
      ctx.out.result(created, () => created.id)
    })

  filterOptions(task
    .command('list')
    .description('list tasks by workflow state, then column order; the filters combine')
    .argument('<board>', 'the board: id, id prefix or name', boardId))
    .action(async (board: string, options: FilterOptions, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const query = filterQuery(options)
      const client = await ctx.client()
      const result = await client.call('listTasks', { params: { board }, query }, { signal: ctx.signal })
      if (!ctx.out.json && result.tasks.length === 0) {
        const given = Object.entries(query).filter(([, v]) => v !== undefined).map(([k]) => k)
        ctx.out.message(given.length === 0
          ? 'no tasks yet (add one with `mutual task add <board> <title>`)'
          : given.length === 1 && given[0] === 'status' ? `no tasks in "${query.status ?? ''}"` : 'no tasks match the filters')
        return
      }
      await showNamed(ctx, client, result, (style, names) => table(style, ['TASK', 'STATUS', 'TITLE', 'EST', 'HOLDER', 'ASSIGNEE', 'LABELS', 'DUE'], result.tasks.map((t) => [
        t.id, statusText(style, t), t.title, String(t.estimate), holderText(style, t, names), assigneeText(t, names), t.labels.join(', '), t.due ?? ''
      ])))
    })

  filterOptions(program
    .command('tasks')
    .description("your open work across every board this node follows: tasks you hold or are assigned (--all: everyone's); the filters combine")
    .option('--all', "every open task, not only yours"))
    .action(async (options: FilterOptions & { all?: boolean }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      if (options.all === true && (options.mine === true || options.assignee !== undefined)) throw new UsageError('--all shows everyone\'s tasks: give it without --mine or --assignee')
      const query = { ...filterQuery(options), mine: options.all === true || options.assignee !== undefined ? 'false' as const : 'true' as const }
      const client = await ctx.client()
      const result = await client.call('myTasks', { query }, { signal: ctx.signal })
      if (!ctx.out.json && result.tasks.length === 0) {
        ctx.out.message(options.all === true ? 'no open tasks on the boards held here' : 'no open tasks of yours (claim one with `mutual task claim <board> <task>`)')
        return
      }
      await showNamed(ctx, client, result, (style, names) => table(style, ['BOARD', 'TASK', 'STATUS', 'TITLE', 'EST', 'HOLDER', 'ASSIGNEE', 'DUE'], result.tasks.map((t) => [
        t.boardName, t.id, statusText(style, t), t.title, String(t.estimate), holderText(style, t, names), assigneeText(t, names), t.due ?? ''
      ])))
    })

  task
    .command('assign')
    .description("assign a task to a person, or clear its assignee with --none (the board's creator, or an admin of its organization)")
    .argument('<board>', 'the board: id, id prefix or name', boardId)
    .argument('<task>', 'the task: id, id prefix or title', taskId)
    .argument('[person]', 'who: identity id, prefix or name', identityId)
    .option('--none', 'clear the assignee instead')
    .action(async (board: string, id: string, person: string | undefined, options: { none?: boolean }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      if ((person === undefined) === (options.none !== true)) throw new UsageError('give a person to assign, or --none to clear the assignee (not both)')
      const client = await ctx.client()
      const result = await client.call('assignTask', { params: { board, task: id }, body: { assignee: person ?? null } }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message(person === undefined ? `task ${result.id} has no assignee now` : `assigned task ${result.id} to ${person}`)
      ctx.out.result(result, () => '')
    })

  task
    .command('show')
    .description('show a task: details, comments, claims, and its history (which entry changed what, by whom, when)')
    .argument('<board>', 'the board: id, id prefix or name', boardId)
    .argument('<task>', 'the task: id, id prefix or title', taskId)
    .action(async (board: string, id: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('task', { params: { board, task: id } }, { signal: ctx.signal })
      await showNamed(ctx, client, result, (style, names) => renderTask(style, result, names))
    })

  task
    .command('edit')
    .description("change a task's title, description, estimate, labels or due date")
    .argument('<board>', 'the board: id, id prefix or name', boardId)
    .argument('<task>', 'the task: id, id prefix or title', taskId)
    .option('--title <title>', 'a new title')
    .option('--description <text>', 'a new description')
    .option('--estimate <points>', 'workload points', estimate)
    .option('--label <label>', 'the labels, replacing the current ones (repeatable)', repeatable)
    .option('--due <date>', 'due date (YYYY-MM-DD or an ISO time), or `none` to clear it')
    .action(async (board: string, id: string, options: FieldOptions, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      // `none` clears the date (commander turns a null from an option parser into '', so it is mapped here).
      const due = options.due === 'none' ? null : options.due
      const edit = { title: options.title, description: options.description, estimate: options.estimate, labels: options.label, due }
      if (Object.values(edit).every((v) => v === undefined)) throw new UsageError('nothing to change: give --title, --description, --estimate, --label or --due')
      const client = await ctx.client()
      const result = await client.call('editTask', { params: { board, task: id }, body: edit }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message(`edited task ${result.id}`)
      ctx.out.result(result, () => '')
    })

  task
    .command('move')
    .description('move a task to a workflow state, and optionally to a place in its column')
    .argument('<board>', 'the board: id, id prefix or name', boardId)
    .argument('<task>', 'the task: id, id prefix or title', taskId)
    .argument('<status>', 'the state to move it to (its own state to reorder only)')
    .option('--before <task>', 'place it just before this task', taskId)
    .option('--after <task>', 'place it just after this task', taskId)
    .action(async (board: string, id: string, status: string, options: { before?: string, after?: string }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('moveTask', { params: { board, task: id }, body: { status, before: options.before, after: options.after } }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message(`moved task ${result.id} to ${result.status}`)
      ctx.out.result(result, () => '')
    })

  for (const action of ['claim', 'release'] as const) {
    task
      .command(action)
      .description(action === 'claim'
        ? 'claim a task (the earliest claim wins; prints the claim entry id)'
        : 'release your claim on a task (prints the release entry id)')
      .argument('<board>', 'the board: id, id prefix or name', boardId)
      .argument('<task>', 'the task: id, id prefix or title', taskId)
      .action(async (board: string, id: string, ...args: unknown[]) => {
        const ctx = contextFromArgs(args)
        const client = await ctx.client()
        const result = await client.call(action === 'claim' ? 'claimTask' : 'releaseTask', { params: { board, task: id } }, { signal: ctx.signal })
        if (!ctx.out.json) ctx.out.message(claimMessage(action, result))
        ctx.out.result(result, () => result.entry)
        // The claim is recorded (it takes the task if the holder releases), but this node does not hold it.
        if (action === 'claim' && !result.held) throw new ClaimHeldError(`task ${result.task} is held by an earlier claim of ${result.holder ?? 'another'}; yours waits behind it`)
      })
  }

  task
    .command('comment')
    .description('comment on a task; prints the comment id')
    .argument('<board>', 'the board: id, id prefix or name', boardId)
    .argument('<task>', 'the task: id, id prefix or title', taskId)
    .argument('<text>', 'the comment')
    .action(async (board: string, id: string, text: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('comment', { params: { board, task: id }, body: { text } }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message(`commented on task ${result.task.id}`)
      ctx.out.result(result, () => result.id)
    })

  task
    .command('depend')
    .description('make a task wait for another (or stop waiting, with --remove)')
    .argument('<board>', 'the board: id, id prefix or name', boardId)
    .argument('<task>', 'the task that waits', taskId)
    .argument('<on>', 'the task it waits for', taskId)
    .option('--remove', 'remove the dependency instead')
    .action(async (board: string, id: string, on: string, options: { remove?: boolean }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = options.remove === true
        ? await client.call('undepend', { params: { board, task: id, on } }, { signal: ctx.signal })
        : await client.call('depend', { params: { board, task: id }, body: { on } }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message(options.remove === true ? `task ${id} no longer waits for ${on}` : `task ${id} now waits for ${on}`)
      ctx.out.result(result, () => '')
    })

  task
    .command('delete')
    .description('delete a task')
    .argument('<board>', 'the board: id, id prefix or name', boardId)
    .argument('<task>', 'the task: id, id prefix or title', taskId)
    .action(async (board: string, id: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('deleteTask', { params: { board, task: id } }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message(`deleted task ${result.deleted}`)
      ctx.out.result(result, () => '')
    })
}

export interface FilterOptions {
  ready?: boolean
  mine?: boolean
  assignee?: string
  label?: string
  status?: string
  text?: string
  dueBefore?: string
}

/** The filters `task list` and `tasks` share. */
export function filterOptions (command: Command): Command {
  return command
    .option('--ready', 'only ready tasks: not done, every dependency done')
    .option('--mine', 'only tasks you hold (by claim) or are assigned')
    .option('--assignee <person>', 'only tasks this person holds or is assigned: identity id, prefix or name', identityId)
    .option('--label <label>', 'only tasks with this label')
    .option('--status <state>', 'only tasks in this state')
    .option('--text <text>', 'only tasks whose title or description contains this (any case)')
    .option('--due-before <date>', 'only tasks due before this date (YYYY-MM-DD)')
}

export function filterQuery (options: FilterOptions): { ready?: 'true', mine?: 'true', assignee?: string, label?: string, status?: string, text?: string, dueBefore?: string } {
  if (options.dueBefore !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.dueBefore)) throw new UsageError(`--due-before takes a date YYYY-MM-DD, not ${options.dueBefore}`)
  return {
    ready: options.ready === true ? 'true' : undefined,
    mine: options.mine === true ? 'true' : undefined,
    assignee: options.assignee,
    label: options.label,
    status: options.status,
    text: options.text,
    dueBefore: options.dueBefore
  }
}

/** A task's state for a table, marked when it is blocked or past its state's WIP limit. */
export function statusText (style: Style, t: Pick<Task, 'status' | 'blocked' | 'overLimit'>): string {
  return t.status + (t.blocked ? style.red(' (blocked)') : '') + (t.overLimit ? style.yellow(' (over limit)') : '')
}

/** Who a task is assigned to, for a table: `-` for nobody, and nothing more when it is its holder by claim alone. */
export function assigneeText (t: Pick<Task, 'assignee' | 'assignedBy' | 'confirmed'>, names: Names): string {
  if (t.assignee === null) return '-'
  return named(names, t.assignee) + (t.assignedBy !== null && !t.confirmed ? ' (unclaimed)' : '')
}

function claimMessage (action: 'claim' | 'release', claim: Claim): string {
  if (action === 'release') return claim.holder === null ? `released task ${claim.task}; nobody holds it` : `released task ${claim.task}; ${claim.holder} holds it`
  const others = claim.claimants.length - 1
  return claim.contested
    ? `claimed task ${claim.task}: contested by ${others} other claim${others === 1 ? '' : 's'}; ${claim.holder} holds it (earliest claim)`
    : `claimed task ${claim.task}`
}

function renderTask (style: Style, d: TaskDetail, names: Names): string {
  const t = d.task
  const sections = [fields(style, [
    ['task', t.id],
    ['title', t.title],
    ['status', statusText(style, t) + (t.ready ? style.green(' (ready)') : '')],
    ['estimate', t.estimate],
    ['labels', t.labels],
    ['due', t.due ?? '-'],
    ['waits for', t.dependencies],
    ['holder', t.holder === null ? '-' : named(names, t.holder, t.holder) + (t.contested ? style.yellow(' (contested)') : '')],
    ['assignee', t.assignee === null
      ? '-'
      : named(names, t.assignee, t.assignee) + (t.assignedBy === null ? ' (holder)' : ` (assigned by ${named(names, t.assignedBy)}${t.confirmed ? ', confirmed by their claim' : ', not claimed yet'})`)],
    ['created', `${t.createdAt} by ${named(names, t.createdBy, t.createdBy)}`]
  ])]
  if (t.description !== '') sections.push(style.bold('Description') + '\n' + t.description)
  if (t.comments.length > 0) {
    sections.push(style.bold('Comments') + '\n' + t.comments.map((c) => `${style.dim(`${c.at} ${named(names, c.author)}`)}  ${c.text}`).join('\n'))
  }
  if (d.claimants.length > 0) {
    sections.push(style.bold('Claims') + '\n' + table(style, ['CLAIMANT', 'SINCE', 'ENTRY'], d.claimants.map((c, i) => [
      named(names, c.author, c.author) + (i === 0 ? style.green(' (holds it)') : ''), c.at, c.entry
    ])))
  }
  sections.push(style.bold('History') + '\n' + table(style, ['TIME', 'AUTHOR', 'ENTRY', 'CHANGES'], d.history.map((h) => [
    h.at.replace(/\.\d{3}Z$/, 'Z'),
    named(names, h.author, h.author),
    h.entry,
    h.changes.map((c) => c === 'status' && h.status !== undefined
      ? `status ${h.status.from ?? '∅'} → ${h.status.to ?? '∅'}`
      : c === 'assigned' && typeof h.assignee === 'string' ? `assigned to ${named(names, h.assignee)}` : c).join(', ')
  ])))
  return sections.join('\n\n')
}
