/**
 * Where and how the CLI writes. Data (a command's result) goes to stdout: JSON with `--json`,
 * else tables and key/value lists for people. Messages, progress and errors go to stderr, so
 * `mutual … --json | jq` always reads clean JSON. Colors only on a terminal, never with `NO_COLOR`
 * (https://no-color.org); `FORCE_COLOR` forces them where `NO_COLOR` is not set.
 */

export interface OutputStream {
  write (chunk: string): unknown
  isTTY?: boolean
}

export interface OutputInit {
  json?: boolean
  env?: Record<string, string | undefined>
  stdout?: OutputStream
  stderr?: OutputStream
}

export interface Style {
  bold (text: string): string
  dim (text: string): string
  red (text: string): string
  green (text: string): string
  yellow (text: string): string
  cyan (text: string): string
}

export interface Output {
  readonly json: boolean
  /** styles for stdout (plain when stdout takes no color) */
  readonly style: Style
  /** prints a result: `value` as JSON with --json, else `human` rendered for people */
  result (value: unknown, human: (style: Style) => string): void
  /** a message for people, on stderr */
  message (text: string): void
  /** progress of long work, on stderr */
  progress (text: string): void
  warn (text: string): void
  /** reports a failure on stderr: a line for people, or `{ "error": … }` with --json */
  error (err: Error, exitCode: number): void
}

export function colorEnabled (stream: OutputStream, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true
  return stream.isTTY === true && env.TERM !== 'dumb'
}

function sgr (open: number, close: number): (text: string) => string {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`
}

const plain = (text: string): string => text

export function createStyle (enabled: boolean): Style {
  if (!enabled) return { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain }
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39) }
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g

/** Width of text as shown, ignoring color codes. */
export function visibleWidth (text: string): number {
  return [...text.replace(ANSI, '')].length
}

/** Column-aligned rows under a header; the last column is not padded. */
export function table (style: Style, headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(visibleWidth(h), ...rows.map((row) => visibleWidth(row[i] ?? ''))))
  const line = (cells: string[]): string => cells
    .map((cell, i) => i === cells.length - 1 ? cell : cell + ' '.repeat(widths[i] - visibleWidth(cell)))
    .join('  ')
    .trimEnd()
  return [line(headers.map((h) => style.bold(h))), ...rows.map(line)].join('\n')
}

/** `key  value` lines; an array value continues on the next lines under the first. */
export function fields (style: Style, pairs: Array<[string, string | number | boolean | string[]]>): string {
  const width = Math.max(...pairs.map(([key]) => key.length))
  const lines: string[] = []
  for (const [key, value] of pairs) {
    const values = Array.isArray(value) ? (value.length === 0 ? ['(none)'] : value) : [String(value)]
    values.forEach((v, i) => {
      lines.push(`${i === 0 ? style.bold(key.padEnd(width)) : ' '.repeat(width)}  ${v}`)
    })
  }
  return lines.join('\n')
}

export function createOutput (init: OutputInit = {}): Output {
  const env = init.env ?? process.env
  const stdout = init.stdout ?? process.stdout
  const stderr = init.stderr ?? process.stderr
  const json = init.json === true
  const style = createStyle(colorEnabled(stdout, env))
  const errStyle = createStyle(colorEnabled(stderr, env))

  return {
    json,
    style,
    result (value, human) {
      if (json) {
        stdout.write(JSON.stringify(value, null, 2) + '\n')
        return
      }
      const text = human(style)
      if (text !== '') stdout.write(text + '\n')
    },
    message (text) {
      stderr.write(text + '\n')
    },
    progress (text) {
      stderr.write(errStyle.dim(text) + '\n')
    },
    warn (text) {
      stderr.write(`${errStyle.yellow('warning:')} ${text}\n`)
    },
    error (err, exitCode) {
      if (json) {
        const error: Record<string, unknown> = { name: err.name, message: err.message, exitCode }
        if ('status' in err) error.status = err.status
        stderr.write(JSON.stringify({ error }) + '\n')
        return
      }
      stderr.write(`${errStyle.red('error:')} ${err.message}${err.name === 'Error' ? '' : errStyle.dim(` (${err.name})`)}\n`)
    }
  }
}
