import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from './cli/helpers.js'

/**
 * docs/ERRORS.md is a contract: every error class a package exports is listed under its package,
 * with the daemon's HTTP status for it (from the one problem table) and the exit code `mutual`
 * gives it. The classes are read from each package's public exports, wherever they are defined.
 */

type ErrorClass = new (...args: any[]) => Error

interface Row { status: string, exit: string }

// Library packages, whose front door is src/index.ts; the web UI is an app and exports nothing.
const packageNames = readdirSync(join(ROOT, 'packages')).filter((dir) => existsSync(join(ROOT, 'packages', dir, 'src/index.ts'))).flatMap((dir) => {
  try {
    return [(JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8')) as { name: string }).name]
  } catch {
    return [] // a directory without a package.json is no package
  }
}).sort()

async function exportsOf (name: string): Promise<Record<string, unknown>> {
  return await import(name) as Record<string, unknown>
}

function errorClasses (exports: Record<string, unknown>): string[] {
  return Object.entries(exports)
    .filter(([, value]) => typeof value === 'function' && (value as ErrorClass).prototype instanceof Error)
    .map(([key]) => key)
    .sort()
}

/** `### @mutual/x` sections of ERRORS.md (and the one of unexported names), each a map from error name to its row. */
function documented (): Map<string, Map<string, Row>> {
  const sections = new Map<string, Map<string, Row>>()
  let current: Map<string, Row> | undefined
  for (const line of readFileSync(join(ROOT, 'docs/ERRORS.md'), 'utf8').split('\n')) {
    const heading = /^### (@mutual\/[a-z-]+)$/.exec(line) ?? (line.startsWith('### Answered by the API, exported by no package') ? [line, 'unexported'] : null)
    if (heading !== null) sections.set(heading[1], current = new Map())
    const row = /^\| `(\w+)` \| ([^|]+) \| ([^|]+) \|/.exec(line)
    if (row !== null && current !== undefined) current.set(row[1], { status: row[2].trim(), exit: row[3].trim() })
  }
  return sections
}

describe('errors and exit codes (docs/ERRORS.md)', async () => {
  const all = new Map(await Promise.all(packageNames.map(async (name) => [name, await exportsOf(name)] as const)))
  const { ERROR_STATUS } = all.get('@mutual/daemon') as { ERROR_STATUS: Record<string, number> }
  const { exitCodeFor, ExitCode } = all.get('@mutual/cli') as { exitCodeFor: (err: unknown) => number, ExitCode: Record<string, number> }
  const ApiError = [...all.values()].map((e) => e.ApiError).find((c) => c !== undefined) as new (problem: { type: string, title: string, status: number, name?: string }) => Error
  // The daemon's side: the daemon and every package it is built from. The rest are its clients.
  const daemonDeps = Object.keys((JSON.parse(readFileSync(join(ROOT, 'packages/daemon/package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies)
  const serverSide = new Set(['@mutual/daemon', ...daemonDeps.filter((d) => all.has(d))])
  const docs = documented()
  const clientSide = new Set(packageNames.filter((p) => !serverSide.has(p)).flatMap((p) => errorClasses(all.get(p)!)))

  const named = (name: string): Error => Object.assign(new Error(name), { name })
  const expectedExit = (pkg: string, name: string): string => {
    if (!serverSide.has(pkg)) return name === 'ApiError' ? 'by status' : String(exitCodeFor(named(name)))
    const api = exitCodeFor(new ApiError({ type: '', title: '', status: ERROR_STATUS[name], name }))
    const local = exitCodeFor(named(name))
    return local !== ExitCode.Failure && local !== api ? `${api}; ${local} in \`mutual daemon\`` : String(api)
  }

  it('finds the packages and their errors', () => {
    expect(packageNames).toEqual(expect.arrayContaining(['@mutual/protocol', '@mutual/daemon', '@mutual/cli']))
    expect(ApiError).toBeDefined()
    for (const pkg of packageNames) if (errorClasses(all.get(pkg)!).length > 0) expect(docs.has(pkg), `a section for ${pkg}`).toBe(true)
  })

  it('gives every error class of the daemon\'s side a status in the problem table, and none to the clients\'', () => {
    for (const pkg of packageNames) {
      for (const name of errorClasses(all.get(pkg)!)) {
        if (serverSide.has(pkg)) expect(ERROR_STATUS[name], `${pkg} ${name} in ERROR_STATUS`).toBeTypeOf('number')
        else expect(ERROR_STATUS[name], `${pkg} ${name} is the CLI's own`).toBeUndefined()
      }
    }
  })

  it('lists every exported error class under its package, with its status and exit code', () => {
    for (const pkg of packageNames) {
      const section = docs.get(pkg) ?? new Map<string, Row>()
      for (const name of errorClasses(all.get(pkg)!)) {
        const row = section.get(name)
        expect(row, `${name} of ${pkg} in docs/ERRORS.md`).toBeDefined()
        expect(row!.status, `${name}'s status`).toBe(serverSide.has(pkg) ? String(ERROR_STATUS[name]) : '—')
        // A client's error the CLI turns into one of its own says so: `3 (as \`DaemonNotRunningError\`)`.
        const as = /^(\d+) \(as `(\w+)`\)$/.exec(row!.exit)
        if (as !== null && !serverSide.has(pkg)) {
          expect(clientSide.has(as[2]), `${name} becomes ${as[2]}, a client's error`).toBe(true)
          expect(as[1], `${name}'s exit code, as ${as[2]}`).toBe(expectedExit(pkg, as[2]))
        } else {
          expect(row!.exit, `${name}'s exit code`).toBe(expectedExit(pkg, name))
        }
      }
      // and nothing listed that is not exported
      expect([...section.keys()].sort(), `the rows of ${pkg}`).toEqual(errorClasses(all.get(pkg)!))
    }
  })

  it('names its class: .name is the exported name wherever the class can be built without arguments', () => {
    for (const pkg of packageNames) {
      for (const name of errorClasses(all.get(pkg)!)) {
        let instance: Error | undefined
        try {
          instance = new (all.get(pkg)![name] as ErrorClass)()
        } catch {
          continue // a constructor that needs its arguments
        }
        expect(instance.name, `${pkg} ${name}`).toBe(name)
      }
    }
  })

  it('lists every exit code, and every name of the problem table', () => {
    const text = readFileSync(join(ROOT, 'docs/ERRORS.md'), 'utf8')
    for (const [name, code] of Object.entries(ExitCode)) expect(text).toContain(`| ${code} | \`${name}\` |`)
    const exported = new Set(packageNames.flatMap((pkg) => errorClasses(all.get(pkg)!)))
    // A name the daemon answers with but no package exports is listed too, in its own section.
    const unexported = docs.get('unexported') ?? new Map<string, Row>()
    for (const [name, status] of Object.entries(ERROR_STATUS)) {
      if (exported.has(name)) continue
      expect(unexported.get(name), `${name} (in ERROR_STATUS, exported by no package) in docs/ERRORS.md`).toEqual({ status: String(status), exit: expectedExit('@mutual/daemon', name) })
    }
    expect([...unexported.keys()].every((name) => ERROR_STATUS[name] !== undefined && !exported.has(name))).toBe(true)
  })
})
