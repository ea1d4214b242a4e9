import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BIN, ROOT, childEnv, freePort } from './helpers.js'
import { eventually } from '../support/poll.js'

/**
 * Markdown transcripts run as tests, as Radicle runs its CLI's documentation: every ```console
 * block of a README is a terminal session. A `$ ` line is a command, the lines after it are what
 * the terminal shows (stdout and stderr as they interleave), `^C` interrupts the daemon started in
 * the foreground. Blocks run in order and share one session: its daemons, shell variables and
 * placeholder values. The syntax of expected output is in packages/cli/README.md ("Examples as
 * tests").
 */

export interface Step {
  /** the command after `$ `, or `^C` */
  command: string
  expected: string[]
  /** line number in the Markdown file, for failures */
  line: number
  /** a set-up step from a `<!-- $ … -->` comment: its output is not shown, nothing is expected of it */
  hidden: boolean
  /** the next step is `echo $?`, which shows the exit code; otherwise the command must exit 0 */
  exitShown: boolean
}

export function parseTranscripts (markdown: string): Step[] {
  const steps: Step[] = []
  let inBlock = false
  markdown.split('\n').forEach((text, index) => {
    const line = index + 1
    if (!inBlock) {
      const hidden = /^<!-- \$ (.*) -->$/.exec(text)
      if (hidden !== null) steps.push({ command: hidden[1], expected: [], line, hidden: true, exitShown: false })
      if (text === '```console') inBlock = true
      return
    }
    if (text === '```') inBlock = false
    else if (text.startsWith('$ ')) steps.push({ command: text.slice(2), expected: [], line, hidden: false, exitShown: false })
    else if (text === '^C') steps.push({ command: '^C', expected: [], line, hidden: false, exitShown: false })
    else if (steps.length > 0) steps.at(-1)!.expected.push(text)
  })
  for (const [i, step] of steps.entries()) step.exitShown = steps[i + 1]?.command === 'echo $?'
  return steps
}

// Values that differ in every run, recognised by their shape. A literal of one of these shapes in
// the Markdown stands for whatever the run prints there; wherever the same literal appears again
// it must be that same value (so an id printed by one command is the id another one shows).
const BOUND_SHAPES = [
  /mutual1:[A-Za-z0-9_-]{16,}/, // an invite ticket
  /bafy[a-z2-7]{20,}/, // a CID: space, entry, board, organization
  /bafy[a-z2-7]{8}…[a-z2-7]{4}/, // a CID shortened for a table
  /12D3KooW[1-9A-HJ-NP-Za-km-z]{44}/, // a peer id
  /12D3KooW[1-9A-HJ-NP-Za-km-z]{4}…[1-9A-HJ-NP-Za-km-z]{4}/, // a peer id shortened for a table
  // A task id, and an invite id: known in the Markdown by a digit among their letters (so words
  // are not taken for ids), though the value a run prints there may have none.
  /(?<![\w-])(?=[a-z2-7]*[2-7])[a-z2-7]{12}(?![\w-])/,
  /(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[A-Z])(?=[\w-]*[a-z])[A-Za-z0-9_-]{12}(?![\w-])/
]
/** What each bound shape matches in a run's output. */
const BOUND_VALUES = [...BOUND_SHAPES.slice(0, 5).map((r) => r.source), '[a-z2-7]{12}', '[A-Za-z0-9_-]{12}']
// Shapes that match any value of the shape, with no binding: times differ from line to line.
const FREE_SHAPES = [/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{3})?Z/]
const ANYTHING = '[..]'
const ANY_ORDER = ' [any order]'

function permutations<T> (items: T[]): T[][] {
  if (items.length <= 1) return [items]
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]))
}
const TOKEN = new RegExp([...BOUND_SHAPES, ...FREE_SHAPES].map((r) => `(${r.source})`).join('|') + '|\\[\\.\\.\\]', 'g')

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The session's memory of placeholder literals and what they stood for in this run. */
export class Bindings {
  private readonly values = new Map<string, string>()

  /** A command's text with every known literal replaced; an unknown one stands for itself. */
  substitute (text: string): string {
    return text.replace(TOKEN, (token, ...groups: unknown[]) => {
      if (token === ANYTHING || groups.slice(BOUND_SHAPES.length, BOUND_SHAPES.length + FREE_SHAPES.length).some((g) => g !== undefined)) return token
      if (!this.values.has(token)) this.values.set(token, token)
      return this.values.get(token)!
    })
  }

  /** Matches one expected line against one actual line; the bindings it would make, or undefined. */
  matchLine (expected: string, actual: string): Map<string, string> | undefined {
    const literals: string[] = []
    let pattern = ''
    let last = 0
    for (const m of expected.matchAll(TOKEN)) {
      pattern += escape(expected.slice(last, m.index))
      last = m.index + m[0].length
      const shape = m.slice(1).findIndex((g) => g !== undefined)
      if (m[0] === ANYTHING) pattern += '.*?'
      else if (shape >= BOUND_SHAPES.length) pattern += `(?:${FREE_SHAPES[shape - BOUND_SHAPES.length].source})`
      else if (this.values.has(m[0])) pattern += escape(this.values.get(m[0])!)
      else {
        literals.push(m[0])
        pattern += `(${BOUND_VALUES[shape]})`
      }
    }
    pattern += escape(expected.slice(last))
    const found = new RegExp(`^${pattern}$`, 'u').exec(actual)
    if (found === null) return undefined
    const made = new Map<string, string>()
    for (const [i, literal] of literals.entries()) {
      const value = found[i + 1]
      if (made.has(literal) && made.get(literal) !== value) return undefined
      made.set(literal, value)
    }
    return made
  }

  /**
   * Whether `actual` shows what `expected` says, line for line; binds what it saw if so. A run of
   * lines ending in `[any order]` matches as many actual lines in any order (rows sorted by ids).
   */
  match (expected: string[], actual: string[]): boolean {
    if (expected.length !== actual.length) return false
    const trial = this.copy()
    for (let i = 0; i < expected.length;) {
      let end = i
      while (end < expected.length && expected[end].endsWith(ANY_ORDER)) end++
      if (end === i) {
        if (!trial.bind(expected[i], actual[i])) return false
        i++
        continue
      }
      const group = expected.slice(i, end).map((l) => l.slice(0, -ANY_ORDER.length).trimEnd())
      const found = permutations(actual.slice(i, end)).map((rows) => {
        const t = trial.copy()
        return rows.every((row, k) => t.bind(group[k], row)) ? t : undefined
      }).find((t) => t !== undefined)
      if (found === undefined) return false
      trial.values.clear()
      for (const [k, v] of found.values) trial.values.set(k, v)
      i = end
    }
    for (const [k, v] of trial.values) this.values.set(k, v)
    return true
  }

  private copy (): Bindings {
    const c = new Bindings()
    for (const [k, v] of this.values) c.values.set(k, v)
    return c
  }

  private bind (expected: string, actual: string): boolean {
    const bound = this.matchLine(expected, actual)
    if (bound === undefined) return false
    for (const [k, v] of bound) this.values.set(k, v)
    return true
  }
}

/** Shell words of a command line: quotes, `$VAR` and `$?` as a POSIX shell reads them (no globbing). */
export function shellWords (line: string, vars: Map<string, string>): string[] {
  const words: string[] = []
  let word: string | undefined
  let quote: '"' | "'" | undefined
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quote === "'") {
      if (c === "'") quote = undefined
      else word += c
    } else if (c === '$' && /[A-Za-z_?]/.test(line[i + 1] ?? '')) {
      const name = line[i + 1] === '?' ? '?' : /^[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(i + 1))![0]
      if (!vars.has(name)) throw new Error(`$${name} is not set`)
      word = (word ?? '') + vars.get(name)!
      i += name.length
    } else if (quote === '"') {
      if (c === '"') quote = undefined
      else word += c
    } else if (c === '"' || c === "'") {
      quote = c
      word ??= ''
    } else if (c === ' ') {
      if (word !== undefined) words.push(word)
      word = undefined
    } else {
      word = (word ?? '') + c
    }
  }
  if (quote !== undefined) throw new Error(`unclosed ${quote} in: ${line}`)
  if (word !== undefined) words.push(word)
  return words
}

// Commands that only read: when their output does not match yet, they run again until it does
// (replication takes a moment), as a person would look again. Nothing else is ever repeated.
const READS = new Set(['status', 'id', 'peers', 'doctor', 'show', 'list', 'entries', 'vector', 'invites', 'members', 'workflow', 'tasks'])

interface Ran {
  code: number | null
  /** what the terminal shows: stdout and stderr interleaved, or stderr alone when stdout is captured */
  shown: string[]
  stdout: string
}

const lines = (text: string): string[] => {
  const out = text.split('\n').map((l) => l.trimEnd())
  while (out.length > 0 && out.at(-1) === '') out.pop()
  return out
}


interface Background {
  /** started by a hidden step: in another terminal, out of Ctrl-C's reach */
  hidden: boolean
  child: ChildProcess
  file: string
  exited: Promise<number | null>
}

/**
 * One terminal session over a Markdown file's transcripts: homes `/tmp/<name>` become fresh
 * temporary directories, the examples' ports (4001–4099, 5001–5099) free ports on loopback.
 */
export class Session {
  readonly bindings = new Bindings()
  private readonly vars = new Map<string, string>([['?', '0']])
  private readonly root = mkdtempSync(join(tmpdir(), 'mutual-transcript-'))
  private readonly ports = new Map<string, string>()
  private readonly daemons: Background[] = []
  private outputs = 0

  /** The Markdown's text with homes and ports made this run's. */
  private async local (text: string): Promise<string> {
    for (const m of text.matchAll(/(?<=tcp\/|127\.0\.0\.1:)([45]0\d\d)(?!\d)/g)) {
      if (!this.ports.has(m[1])) this.ports.set(m[1], String(await freePort()))
    }
    return text
      .replace(/(?<![\w/])\/tmp\/([a-z]+)/g, (_, name: string) => { mkdirSync(this.root, { recursive: true }); return join(this.root, name) })
      .replace(/(?<=tcp\/|127\.0\.0\.1:)([45]0\d\d)(?!\d)/g, (port: string) => this.ports.get(port)!)
  }

  async run (step: Step): Promise<void> {
    const where = `line ${step.line}: ${step.command}`
    const expected = await Promise.all(step.expected.map(async (l) => await this.local(l)))
    if (step.command === '^C') {
      const daemon = this.daemons.filter((d) => !d.hidden).at(-1)
      if (daemon === undefined) throw new Error(`${where}: no daemon in the foreground`)
      this.daemons.splice(this.daemons.indexOf(daemon), 1)
      const before = readFileSync(daemon.file, 'utf8').length
      daemon.child.kill('SIGINT')
      const code = await daemon.exited
      const shown = lines(readFileSync(daemon.file, 'utf8').slice(before))
      this.check(where, expected, shown)
      this.exited(where, step, code, shown)
      return
    }
    const command = this.bindings.substitute(await this.local(step.command))
    const assign = /^([A-Za-z_][A-Za-z0-9_]*)=\$\((.*)\)$/.exec(command)
    const words = shellWords(assign === null ? command : assign[2], this.vars)
    if (words[0] === 'echo') {
      this.check(where, expected, [words.slice(1).join(' ')])
      return
    }
    if (words[0] !== 'mutual') throw new Error(`${where}: only mutual, echo and VAR=$(mutual …) run here`)
    // The command's own words: `mutual --home /tmp/a board show $BOARD` → board, show, <board>.
    const named = words.slice(1).filter((w, i, all) => !w.startsWith('-') && all[i - 1] !== '--home')
    const verb = named[0]
    if (verb === 'daemon') {
      await this.daemon(where, step, words.slice(1), expected)
      return
    }
    // `board workflow <board> <change>…` writes, as `--set` does.
    const changes = named[1] === 'workflow' && named.length > 3
    const reads = (READS.has(named[0]) || READS.has(named[1])) && !words.includes('--set') && !changes && !step.hidden
    let ran = await this.exec(words.slice(1), assign !== null)
    if (!step.hidden && !this.bindings.match(expected, ran.shown) && reads) {
      await eventually(async () => {
        ran = await this.exec(words.slice(1), assign !== null)
        return this.bindings.match(expected, ran.shown)
      }, 15_000, `${where} to show what the README shows`, { intervalMs: 250 }).catch(() => {})
    }
    if (!step.hidden) this.check(where, expected, ran.shown)
    if (assign !== null) this.vars.set(assign[1], ran.stdout.trim())
    this.exited(where, step, ran.code, ran.shown)
  }

  /** Sets `$?`; a command whose exit code the README does not show must have succeeded. */
  private exited (where: string, step: Step, code: number | null, shown: string[]): void {
    this.vars.set('?', String(code))
    if (!step.exitShown && code !== 0) throw new Error(`${where}: exited ${code} (the README shows no \`echo $?\`, so 0 is expected)\n${shown.join('\n')}`)
  }

  private check (where: string, expected: string[], shown: string[]): void {
    if (this.bindings.match(expected, shown)) return
    throw new Error(`${where}\n--- the README shows\n${expected.join('\n')}\n--- the run showed\n${shown.join('\n')}`)
  }

  private async exec (args: string[], capture: boolean): Promise<Ran> {
    const file = join(this.root, `out-${this.outputs++}.txt`)
    const fd = openSync(file, 'a')
    try {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv(), stdio: ['ignore', capture ? 'pipe' : fd, fd] })
      let stdout = ''
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
      const code = await new Promise<number | null>((resolve, reject) => {
        child.once('error', reject)
        child.once('close', (c) => { resolve(c) })
      })
      clearTimeout(timer)
      return { code, shown: lines(readFileSync(file, 'utf8')), stdout }
    } finally {
      closeSync(fd)
    }
  }

  /** `mutual daemon`: runs in the background until its output shows what is expected, or it exits. */
  private async daemon (where: string, step: Step, args: string[], expected: string[]): Promise<void> {
    const { hidden } = step
    const file = join(this.root, `out-${this.outputs++}.txt`)
    const fd = openSync(file, 'a')
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv(), stdio: ['ignore', fd, fd] })
    closeSync(fd)
    let code: number | null | undefined
    const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => { code = c; resolve(c) }))
    const daemon = { hidden, child, file, exited }
    const shown = (): string[] => lines(readFileSync(file, 'utf8'))
    // Hidden, it is ready once it has printed its ready line (one JSON line with --json).
    const ready = (): boolean => hidden ? shown().some((l) => l.startsWith('{') || l.startsWith('ready')) : this.bindings.match(expected, shown())
    this.daemons.push(daemon)
    const settled = await eventually(() => code !== undefined || ready(), 30_000, `${where} to start`, { intervalMs: 50 }).then(() => true, () => false)
    if (!hidden) this.check(where, expected, shown())
    else if (!settled) throw new Error(`${where}: not ready after 30 s\n${shown().join('\n')}`)
    // Shown with its exit code, it is a daemon that refuses to start: the shell waits for it.
    if (step.exitShown) await exited
    if (code !== undefined) {
      this.daemons.splice(this.daemons.indexOf(daemon), 1)
      this.exited(where, step, code, shown())
      return
    }
    this.vars.set('?', '0')
  }

  /** Stops the daemons still running (each must stop cleanly) and removes the homes. */
  async close (): Promise<void> {
    try {
      for (const d of this.daemons.splice(0).reverse()) {
        d.child.kill('SIGTERM')
        const timer = setTimeout(() => d.child.kill('SIGKILL'), 15_000)
        const code = await d.exited
        clearTimeout(timer)
        if (code !== 0) throw new Error(`a daemon exited ${code} on SIGTERM:\n${readFileSync(d.file, 'utf8')}`)
      }
    } finally {
      rmSync(this.root, { recursive: true, force: true })
    }
  }
}

/** Runs every step of a Markdown file's transcripts in one session; throws at the first mismatch. */
export async function runTranscripts (markdown: string): Promise<Step[]> {
  const steps = parseTranscripts(markdown)
  const session = new Session()
  try {
    for (const step of steps) await session.run(step)
  } catch (err) {
    await session.close().catch(() => {}) // the first failure is the one to report
    throw err
  }
  await session.close()
  return steps
}
