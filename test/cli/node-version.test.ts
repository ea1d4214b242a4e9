import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { MIN_NODE_MAJOR, NODE_TOO_OLD, nodeVersionProblem } from '@mutual/cli'
import { ROOT, buildOnce, childEnv } from './helpers.js'

beforeAll(() => { buildOnce() }, 120_000)

/** A Node.js binary older than 22 on this machine's PATH (or the usual places), if there is one. */
function olderNode (): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin']
  for (const dir of new Set(dirs)) {
    const bin = join(dir, 'node')
    if (dir === '' || !existsSync(bin)) continue
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? ''
    const major = Number(/^v(\d+)\./.exec(version)?.[1])
    if (major < MIN_NODE_MAJOR) return bin
  }
  return undefined
}

describe('the CLI on an older Node.js', () => {
  it('exits 2 with a message naming Node.js 22 and the command that brings its own', () => {
    // The check itself, whatever Node runs the test.
    expect(nodeVersionProblem('20.20.2')).toBe(`${NODE_TOO_OLD} (this is Node.js 20.20.2)`)
    expect(nodeVersionProblem('v18.0.0')).toContain('Mutual needs Node.js 22 or later')
    expect(nodeVersionProblem(process.versions.node)).toBeUndefined()
    expect(nodeVersionProblem('22.0.0')).toBeUndefined()
    // And the real binary on an older Node, where the machine has one.
    const old = olderNode()
    if (old === undefined) return
    const run = spawnSync(old, [join(ROOT, 'packages/cli/dist/bin.js'), 'status'], { encoding: 'utf8', env: childEnv() })
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('Mutual needs Node.js 22 or later; `npx --yes pnpm@10 mutual …` brings its own')
    expect(run.stderr).not.toContain('withResolvers')
    expect(run.stdout).toBe('')
  })
})
