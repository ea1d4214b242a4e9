/**
 * The CLI's view of the daemon's HTTP API responses (see the daemon's OpenAPI document at
 * `/api/v1/openapi.json`). Only the fields the CLI renders are typed; `--json` prints the
 * daemon's response as it came.
 */
// Shapes the daemon defines and serializes itself: imported as types only, so the CLI does not load the daemon.
import type { CreatedInvite, EntryJson, InviteInfo as InviteJson } from '@mutual/daemon'
import type { Task, Workflow as WorkflowJson } from '@mutual/board'
export type { CreatedInvite, EntryJson, InviteJson, WorkflowJson }

export interface StatusResponse {
  id: string
  version: string
  addresses: string[]
  peers: number
  spaces: number
  uptimeMs: number
  home: string
  api: string
  mdns: boolean
}

export interface IdResponse {
  id: string
  addresses: string[]
}

export interface PeerInfo {
  id: string
  addresses: string[]
  direction: string
  score: number
  latencyMs?: number
}

export interface DoctorCheck {
  name: string
  ok: boolean
  detail: string
}

export interface SpaceSummary {
  space: string
  name: string
  kind: string
  owner: string
  authors: number
  entries: number
}

export interface VectorResponse {
  space: string
  vector: Record<string, { seq: number, head: string, frozenAt?: number }>
}

/** A task as the API lists it: the board's task with its claim and readiness. */
export interface TaskJson extends Task {
  holder: string | null
  contested: boolean
  ready: boolean
}

export interface ClaimantJson {
  author: string
  ts: [number, number]
  at: string
  entry: string
}

export interface ClaimJson {
  task: string
  holder: string | null
  contested: boolean
  claimants: ClaimantJson[]
}

export interface BoardSummary {
  board: string
  name: string
  creator: string
  tasks: number
  writers: string[]
}

export interface BoardDetail {
  board: string
  name: string
  creator: string
  writers: string[]
  writable: boolean
  workflow: WorkflowJson
  tasks: TaskJson[]
  claims: ClaimJson[]
  workload: Array<{ person: string, estimate: number }>
  ready: string[]
  sync: {
    vector: Record<string, { seq: number, head: string, frozenAt?: number }>
    entries: number
    joined: boolean
    peers: string[]
    pending: number
  }
}

export interface HistoryEventJson {
  entry: string
  author: string
  ts: [number, number]
  at: string
  type: string
  changes: string[]
  status?: { from: string | null, to: string | null }
}

export interface TaskDetail {
  task: TaskJson
  claimants: ClaimantJson[]
  history: HistoryEventJson[]
}

export type JoinResponse =
  | { board: string, name: string, grant: string }
  /** an organization's ticket: the credential its admin issued this node */
  | { org: string, name: string, credential: string }
