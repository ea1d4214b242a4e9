/**
 * The CLI's view of the daemon's HTTP API responses (see the daemon's OpenAPI document at
 * `/api/v1/openapi.json`). Only the fields the CLI renders are typed; `--json` prints the
 * daemon's response as it came.
 */
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

export interface EntryJson {
  id: string
  space: string
  author: string
  seq: number
  prev: string | null
  ts: [number, number]
  type: string
  body: unknown
  refs?: string[]
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
