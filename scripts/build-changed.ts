/**
 * Builds what is out of date, saying what it builds (`pnpm start` runs it before the daemon).
 *
 * - The packages are built by TypeScript's own incremental build (`tsc -b --noCheck`, through
 *   its API so each project it rebuilds is named as it starts); with every `.tsbuildinfo` in
 *   place and no source changed, the check takes a fraction of a second.
 * - The web UI is rebuilt only when its inputs changed: `web-stamp.ts` hashes them and keeps the
 *   hash in the build's output directory, so a deleted or foreign build is never taken as fresh.
 *
 * Exits 1 if a build failed, after printing its errors.
 */
import { createRequire, enableCompileCache } from 'node:module'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { WEB_DIR, webBuildState, writeWebStamp } from './web-stamp.ts'

const root = fileURLToPath(new URL('..', import.meta.url))

// A later start with nothing to build should take well under a second. TypeScript is 9 MB of
// CommonJS: loaded by `import`, Node scans it for its named exports first (about a second on
// this machine); by `require`, with the compile cache as `tsc` itself enables it, about 0.15 s.
enableCompileCache()
const ts = createRequire(import.meta.url)('typescript') as typeof import('typescript')

// TypeScript's message "Building project '{0}'...", reported once per project it rebuilds.
const BUILDING_PROJECT = 6358

function say (message: string): void {
  process.stderr.write(message + '\n')
}

/** `tsc -b tsconfig.build.json`, naming each project as it is built; false if it failed. */
function buildPackages (): boolean {
  const started = performance.now()
  let built = 0
  // Errors go through TypeScript's own reporter (its default, as `tsc -b` prints them).
  const host = ts.createSolutionBuilderHost(ts.sys, undefined, undefined, (status) => {
    if (status.code !== BUILDING_PROJECT) return
    const config = String(status.messageText).match(/'([^']+)'/)?.[1] ?? ''
    if (built++ === 0) say('building packages (without type checks, which `pnpm test` makes)…')
    say(`  ${relative(root, join(config, '..'))}`)
  })
  // noCheck: emit without type-checking, which is half of a fresh build's time. The build info
  // records the check as pending, so the next `tsc -b` (`pnpm test`, `pnpm build`) still makes
  // it, and reports what it finds, while a later start takes the emitted files as up to date.
  const builder = ts.createSolutionBuilder(host, [join(root, 'tsconfig.build.json')], { verbose: true, noCheck: true })
  const status = builder.build()
  if (built > 0) say(`packages built in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return status === ts.ExitStatus.Success
}

async function buildWeb (): Promise<void> {
  const { inputs, fresh } = await webBuildState()
  if (fresh) return
  say('building the web UI…')
  const started = performance.now()
  const { build } = await import('vite')
  await build({ root: WEB_DIR, logLevel: 'warn' })
  await writeWebStamp(inputs)
  say(`web UI built in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

if (!buildPackages()) {
  say('the build failed (above)')
  process.exit(1)
}
await buildWeb()
