/**
 * Waiting on conditions instead of sleeping, for every tier of tests. A test never sleeps for a
 * fixed time and then asserts: it polls until the state holds (`eventually`), or it watches a
 * state that must not appear for a bounded window and fails the moment it does (`never`).
 */

export interface PollOptions {
  /** how often `check` runs, ms (default 25; tests that spawn a process per check use more) */
  intervalMs?: number
}

const pause = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

/** Polls `check` until it returns true; fails naming `what` after `timeoutMs`. */
export async function eventually (check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition', options: PollOptions = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await pause(options.intervalMs ?? 25)
  }
}

/**
 * Polls `check` for `windowMs` and fails as soon as it returns true: the bounded proof that
 * something (a rejected entry stored, a second redemption) never happens.
 */
export async function never (check: () => boolean | Promise<boolean>, windowMs: number, what: string, options: PollOptions = {}): Promise<void> {
  const deadline = Date.now() + windowMs
  do {
    if (await check()) throw new Error(`${what} happened (watched for ${windowMs} ms)`)
    await pause(options.intervalMs ?? 25)
  } while (Date.now() <= deadline)
  if (await check()) throw new Error(`${what} happened (watched for ${windowMs} ms)`)
}
