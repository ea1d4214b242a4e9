/**
 * Named errors of the client, matched by `.name`. A problem the daemon answers with becomes an
 * ApiError whose `name` is the daemon's own error name (for example `UnknownTaskError`), so
 * callers match the daemon's errors the way they match local ones.
 */

/** An RFC 9457 problem document as the daemon sends it (the contract's Problem), with the status. */
export interface ProblemDetails {
  type: string
  title: string
  status: number
  detail?: string
  name?: string
  /** what an ambiguous name could mean (AmbiguousNameError) */
  candidates?: Array<{ id: string, name: string }>
}

export class ApiError extends Error {
  readonly status: number
  readonly type: string
  readonly title: string
  readonly candidates: Array<{ id: string, name: string }> | undefined

  constructor (problem: ProblemDetails) {
    super(problem.detail ?? problem.title)
    this.name = problem.name ?? 'ApiError'
    this.status = problem.status
    this.type = problem.type
    this.title = problem.title
    this.candidates = problem.candidates
  }
}

/** Nothing answers at the daemon's address (connection refused or reset). */
export class DaemonUnreachableError extends Error {
  override name = 'DaemonUnreachableError'
}

/** The caller's signal aborted the request. */
export class RequestAbortedError extends Error {
  override name = 'RequestAbortedError'
}

/** A path parameter is missing, or a route name is not in the contract. */
export class ClientUsageError extends Error {
  override name = 'ClientUsageError'
}
