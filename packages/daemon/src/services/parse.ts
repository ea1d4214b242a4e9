import { InvalidRequestError } from '../errors.js'

interface SafeParser<T> {
  safeParse: (value: unknown) => { success: boolean, data?: T, error?: { issues: Array<{ path: PropertyKey[], message: string }> } }
}

/** Validates a request value against a record schema of a domain package, as InvalidRequestError naming the first issue. */
export function parse<T> (schema: SafeParser<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value)
  if (result.success) return result.data as T
  const issue = result.error?.issues[0]
  throw new InvalidRequestError(`${what}${issue !== undefined && issue.path.length > 0 ? '.' + issue.path.map(String).join('.') : ''}: ${issue?.message ?? 'invalid'}`)
}
