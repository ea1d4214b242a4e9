import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT, buildOnce, cleanup } from './helpers.js'
import { parseTranscripts, runTranscripts, shellWords } from './transcript.js'

/**
 * The `$ mutual …` examples of the READMEs, run against real daemons by the built CLI: when a
 * command's output or exit code no longer matches what the Markdown shows, this fails.
 */

beforeAll(() => { buildOnce() }, 120_000)
afterAll(() => { cleanup() })

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8')

describe('documented examples', () => {
  for (const file of ['packages/cli/README.md', 'README.md']) {
    it(`${file}: every transcript runs as shown`, async () => {
      await runTranscripts(read(file))
    }, 240_000)
  }

  it('packages/cli/README.md runs every command its table documents', () => {
    const text = read('packages/cli/README.md')
    const table = text.slice(text.indexOf('## Commands'), text.indexOf('## ', text.indexOf('## Commands') + 3))
    // The first cell of each row: `mutual board invite <board> [--expires …]` → "board invite"; a
    // cell may name several (`mutual org create <name>` / `org list` / `org show <org>`).
    const documented = table.split('\n').filter((l) => l.startsWith('| `')).flatMap((row) => {
      const first = row.split(' | ')[0]
      // Options are not command words: `mutual logout --all` → "logout".
      return [...first.matchAll(/`(?:mutual )?((?:[a-z-]+ ?)+?)(?= [<[-]|`)/g)].map((m) => m[1].trim().split(' ').filter((w) => !w.startsWith('-')).join(' '))
    }).filter((c) => c !== '')
    expect(documented).toEqual(expect.arrayContaining(['init', 'daemon', 'board invite', 'task release', 'org list', 'invite revoke']))
    const ran = new Set(parseTranscripts(text).flatMap((s) => {
      const command = /^(?:[A-Z_]+=\$\()?(mutual .*?)\)?$/.exec(s.command)?.[1]
      if (command === undefined) return []
      const words = shellWords(command.replace(/\$\w+/g, 'x'), new Map()).slice(1).filter((w, i, all) => !w.startsWith('-') && !all[i - 1]?.startsWith('--home'))
      return [words.slice(0, 1).join(' '), words.slice(0, 2).join(' ')]
    }))
    const missing = [...new Set(documented)].filter((c) => !ran.has(c))
    expect(missing, 'commands in the table with no example that runs').toEqual([])
  })
})
