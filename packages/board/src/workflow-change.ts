import { InvalidWorkflowError } from './errors.js'
import { validateWorkflow, type Workflow } from './workflow.js'

/** One change to a workflow, as `mutual board workflow <board> <op> …` makes it. */
export type WorkflowChange =
  | { op: 'set-wip', state: string, wip: number | null }
  | { op: 'add-state', state: string, name?: string, after?: string }
  | { op: 'rename-state', state: string, name: string }
  | { op: 'remove-state', state: string }
  | { op: 'allow', from: string, to: string }
  | { op: 'disallow', from: string, to: string }
  | { op: 'allow-any' }
  | { op: 'set-done', state: string }
  | { op: 'set-active', states: string[] | null }

/**
 * The workflow after one change, checked as a whole (InvalidWorkflowError). A new state allows
 * no move out until one is allowed (so it does not open every move, as a state without an entry
 * would); disallowing a move where every move was allowed lists every other move. A removed
 * state leaves the moves and the active states too; the done state cannot be removed (set
 * another first). Whether tasks are in a removed state is the board's to check (`setWorkflow`).
 */
export function changeWorkflow (current: Workflow, change: WorkflowChange): Workflow {
  const wf = structuredClone(current)
  const known = (id: string): void => {
    if (!wf.states.some((s) => s.id === id)) throw new InvalidWorkflowError(`no state "${String(id).slice(0, 64)}" in the workflow`)
  }
  const explicit = (): Record<string, string[]> => {
    if (wf.transitions === 'any') wf.transitions = Object.fromEntries(wf.states.map((s) => [s.id, wf.states.map((t) => t.id).filter((t) => t !== s.id)]))
    return wf.transitions
  }
  switch (change.op) {
    case 'set-wip': {
      known(change.state)
      const state = wf.states.find((s) => s.id === change.state)!
      if (change.wip === null) delete state.wip
      else state.wip = change.wip
      break
    }
    case 'add-state': {
      const at = change.after === undefined
        ? (wf.states.at(-1)?.id === wf.done ? wf.states.length - 1 : wf.states.length)
        : (known(change.after), wf.states.findIndex((s) => s.id === change.after) + 1)
      wf.states.splice(at, 0, { id: change.state, name: change.name ?? change.state })
      if (wf.transitions !== 'any') wf.transitions[change.state] = []
      break
    }
    case 'rename-state':
      known(change.state)
      wf.states.find((s) => s.id === change.state)!.name = change.name
      break
    case 'remove-state': {
      known(change.state)
      if (change.state === wf.done) throw new InvalidWorkflowError(`"${change.state}" is the done state: set another done state first`)
      wf.states = wf.states.filter((s) => s.id !== change.state)
      if (wf.transitions !== 'any') {
        delete wf.transitions[change.state]
        for (const [from, to] of Object.entries(wf.transitions)) wf.transitions[from] = to.filter((t) => t !== change.state)
      }
      if (wf.active !== undefined) wf.active = wf.active.filter((a) => a !== change.state)
      break
    }
    case 'allow': {
      known(change.from)
      known(change.to)
      if (wf.transitions === 'any' || change.from === change.to) break
      const to = wf.transitions[change.from]
      if (to !== undefined && !to.includes(change.to)) to.push(change.to)
      break
    }
    case 'disallow': {
      known(change.from)
      known(change.to)
      if (change.from === change.to) throw new InvalidWorkflowError('a task can always stay in its state')
      const transitions = explicit()
      transitions[change.from] = (transitions[change.from] ?? wf.states.map((s) => s.id).filter((s) => s !== change.from)).filter((t) => t !== change.to)
      break
    }
    case 'allow-any':
      wf.transitions = 'any'
      break
    case 'set-done':
      known(change.state)
      wf.done = change.state
      break
    case 'set-active':
      if (change.states === null) delete wf.active
      else {
        for (const s of change.states) known(s)
        wf.active = change.states
      }
      break
    default:
      throw new InvalidWorkflowError(`no workflow change "${String((change as { op?: unknown }).op).slice(0, 64)}"`)
  }
  return validateWorkflow(wf)
}
