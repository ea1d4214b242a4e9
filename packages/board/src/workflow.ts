import { z } from 'zod'
import type * as Y from 'yjs'
import { InvalidWorkflowError } from './errors.js'

export interface WorkflowState {
  id: string
  name: string
  /** work-in-progress limit: at most this many tasks in the state */
  wip?: number
}

/**
 * States in board order, the moves allowed between them and the state that counts as done.
 * `transitions[from]` lists where a task in `from` may go; a state without an entry (or a
 * workflow without `transitions`) allows any move.
 */
export interface Workflow {
  states: WorkflowState[]
  transitions?: Record<string, string[]>
  done: string
}

const stateId = z.string().min(1).max(64)
const workflowSchema = z.strictObject({
  states: z.array(z.strictObject({
    id: stateId,
    name: z.string().min(1).max(200),
    wip: z.number().int().positive().max(1_000_000).optional()
  })).min(1).max(64),
  transitions: z.record(stateId, z.array(stateId).max(64)).optional(),
  done: stateId
})

/** todo → doing → review → done, with moves back one step. */
export function defaultWorkflow (): Workflow {
  return {
    states: [
      { id: 'todo', name: 'To do' },
      { id: 'doing', name: 'Doing' },
      { id: 'review', name: 'Review' },
      { id: 'done', name: 'Done' }
    ],
    transitions: {
      todo: ['doing'],
      doing: ['todo', 'review'],
      review: ['doing', 'done'],
      done: ['review']
    },
    done: 'done'
  }
}

/** Checks a workflow: shape, unique states, transitions between known states, a known done state. Returns a clean copy. */
export function validateWorkflow (input: unknown): Workflow {
  const parsed = workflowSchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new InvalidWorkflowError(`workflow: ${issue.path.join('.') || '(root)'}: ${issue.message}`)
  }
  const wf = parsed.data
  const ids = new Set<string>()
  for (const s of wf.states) {
    if (ids.has(s.id)) throw new InvalidWorkflowError(`state "${s.id}" appears twice`)
    ids.add(s.id)
  }
  if (!ids.has(wf.done)) throw new InvalidWorkflowError(`done state "${wf.done}" is not a state`)
  for (const [from, targets] of Object.entries(wf.transitions ?? {})) {
    if (!ids.has(from)) throw new InvalidWorkflowError(`transitions from unknown state "${from}"`)
    for (const to of targets) if (!ids.has(to)) throw new InvalidWorkflowError(`transition from "${from}" to unknown state "${to}"`)
  }
  const clean: Workflow = {
    states: wf.states.map((s) => s.wip === undefined ? { id: s.id, name: s.name } : { id: s.id, name: s.name, wip: s.wip }),
    done: wf.done
  }
  if (wf.transitions !== undefined) clean.transitions = Object.fromEntries(Object.entries(wf.transitions).map(([k, v]) => [k, [...new Set(v)]]))
  return clean
}

/**
 * The workflow a document holds. Concurrent `setWorkflow` calls merge key by key, so the stored
 * keys may disagree (states from one, done from another): what does not check falls back —
 * states to the default's, a done state not among them to the last state, bad transitions to none.
 */
export function readWorkflow (map: Y.Map<unknown>): Workflow {
  const states = map.get('states')
  const done = map.get('done')
  const last = Array.isArray(states) ? (states.at(-1) as { id?: unknown } | undefined)?.id : undefined
  return tryWorkflow({ states, done, transitions: map.get('transitions') ?? undefined }) ??
    tryWorkflow({ states, done }) ??
    tryWorkflow({ states, done: last }) ??
    defaultWorkflow()
}

function tryWorkflow (input: unknown): Workflow | undefined {
  try {
    return validateWorkflow(input)
  } catch (err) {
    if ((err as Error).name === 'InvalidWorkflowError') return undefined
    throw err
  }
}

export function writeWorkflow (map: Y.Map<unknown>, wf: Workflow): void {
  map.set('states', wf.states)
  map.set('done', wf.done)
  if (wf.transitions === undefined) map.delete('transitions')
  else map.set('transitions', wf.transitions)
}

export function allowsTransition (wf: Workflow, from: string, to: string): boolean {
  if (from === to) return true
  const allowed = wf.transitions?.[from]
  return allowed === undefined || allowed.includes(to)
}
