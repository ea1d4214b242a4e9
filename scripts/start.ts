/**
 * `pnpm start`: builds what changed (`build-changed.ts`, in a process of its own so the build
 * tools' memory never sits in the daemon), then runs `mutual daemon` in this process, with the
 * arguments given after `--`. The daemon owns the process, so signals reach it directly.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const build = spawnSync(process.execPath, [fileURLToPath(new URL('build-changed.ts', import.meta.url))], { stdio: 'inherit' })
if (build.status !== 0) {
  process.stderr.write('the daemon was not started\n')
  process.exit(build.status ?? 1)
}
const bin = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url))
// pnpm hands on the `--` of `pnpm start -- --api …`; to the daemon it would end its options.
const args = process.argv.slice(2)
if (args[0] === '--') args.shift()
process.argv = [process.argv[0], bin, 'daemon', ...args]
await import(bin)
