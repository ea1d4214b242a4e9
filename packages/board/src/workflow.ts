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
 * States in board order, the moves allowed between them, the state that counts as done and the
 * states that count as work under way. `transitions[from]` lists where a task in `from` may go
 * (a state without an entry allows any move, as it always has); `transitions: 'any'` allows every
 * move and must be said: a workflow that lists no allowed move at all is refused. `active` lists the states a task
 * waiting on an unfinished dependency may not enter; without it, every state but the first.
 */
export interface Workflow {
  states: WorkflowState[]
  transitions: Record<string, string[]> | 'any'
  done: string
  active?: string[]
}

const stateId = z.string().min(1).max(64)
const workflowSchema = z.strictObject({
  states: z.array(z.strictObject({
    id: stateId,
    name: z.string().min(1).max(200),
    wip: z.number().int().positive().max(1_000_000).optional()
  })).min(1).max(64),
  transitions: z.union([z.literal('any'), z.record(stateId, z.array(stateId).max(64))]),
  done: stateId,
  active: z.array(stateId).max(64).optional()
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
  if (input !== null && typeof input === 'object' && (input as { transitions?: unknown }).transitions === undefined) {
    throw new InvalidWorkflowError('workflow: transitions: no allowed moves; list them per state, or say "transitions": "any" to allow every move')
  }
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
  const transitions = wf.transitions
  if (transitions !== 'any') {
    for (const [from, targets] of Object.entries(transitions)) {
      if (!ids.has(from)) throw new InvalidWorkflowError(`transitions from unknown state "${from}"`)
      for (const to of targets) if (!ids.has(to)) throw new InvalidWorkflowError(`transition from "${from}" to unknown state "${to}"`)
    }
    if (!Object.values(transitions).some((targets) => targets.length > 0)) {
      throw new InvalidWorkflowError('workflow: transitions: no allowed moves; list them per state, or say "transitions": "any" to allow every move')
    }
  }
  for (const a of wf.active ?? []) if (!ids.has(a)) throw new InvalidWorkflowError(`active state "${a}" is not a state`)
  const clean: Workflow = {
    states: wf.states.map((s) => s.wip === undefined ? { id: s.id, name: s.name } : { id: s.id, name: s.name, wip: s.wip }),
    transitions: transitions === 'any' ? 'any' : Object.fromEntries(Object.entries(transitions).map(([k, v]) => [k, [...new Set(v)]])),
    done: wf.done
  }
  if (wf.active !== undefined) clean.active = [...new Set(wf.active)]
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
  const active = map.get('active') ?? undefined
  const last = Array.isArray(states) ? (states.at(-1) as { id?: unknown } | undefined)?.id : undefined
  // A workflow stored before moves had to be listed has no `transitions`: it allowed every move, and still does.
  const transitions = map.get('transitions') ?? 'any'
  return tryWorkflow({ states, done, transitions, active }) ??
    tryWorkflow({ states, done, transitions }) ??
    tryWorkflow({ states, done, transitions: 'any' }) ??
    tryWorkflow({ states, done: last, transitions: 'any' }) ??
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
  map.set('transitions', wf.transitions)
  if (wf.active === undefined) map.delete('active')
  else map.set('active', wf.active)
}

export function allowsTransition (wf: Workflow, from: string, to: string): boolean {
  if (from === to || wf.transitions === 'any') return true
  const allowed = wf.transitions[from]
  return allowed === undefined || allowed.includes(to)
}

/** The states a task waiting on an unfinished dependency may not enter: `active`, or every state but the first. */
export function activeStates (wf: Workflow): Set<string> {
  return new Set(wf.active ?? wf.states.slice(1).map((s) => s.id))
}
