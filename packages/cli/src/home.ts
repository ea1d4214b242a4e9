import { resolve } from 'node:path'
import envPaths from 'env-paths'

/**
 * The data directory: `--home`, else `MUTUAL_HOME`, else the platform's data directory (the
 * contract's rule, the same as the daemon's `resolveHome`). Kept here rather than imported from
 * @mutual/daemon so that client commands do not load libp2p and the database just to find a file.
 */
export function resolveHome (home?: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = home ?? (env.MUTUAL_HOME !== undefined && env.MUTUAL_HOME !== '' ? env.MUTUAL_HOME : envPaths('mutual', { suffix: '' }).data)
  return resolve(dir)
}
