/**
 * CPU time used by this process and every process it started, in milliseconds: the figure that
 * moves least when other work shares the machine (wall time stretches when a core is taken, CPU
 * time mostly does not).
 *
 * - this process: `process.cpuUsage()`, which is the whole process (getrusage RUSAGE_SELF), so
 *   every worker thread's time is in it;
 * - child processes that have exited and been reaped: `cutime + cstime` of /proc/self/stat;
 * - child processes still running (a daemon, a relay server), and theirs: `utime + stime` (plus
 *   their own reaped children) of /proc/<pid>/stat, found through /proc/<pid>/task/<tid>/children.
 *
 * A child that exits between two readings moves from the third sum to the second, so a span's
 * figure holds it whole. Off Linux only the first term is read.
 */
import { readdirSync, readFileSync } from 'node:fs'

/** Linux's USER_HZ: /proc reports CPU times in ticks of 10 ms. */
const TICK_MS = 10

interface Stat { ppid: number, own: number, children: number }

function readStat (pid: number | 'self'): Stat | undefined {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined // gone, or not Linux
  }
  // The command name (field 2) may hold spaces and parentheses: fields count from the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
  const n = (field: number): number => Number(fields[field - 3])
  return { ppid: n(4), own: (n(14) + n(15)) * TICK_MS, children: (n(16) + n(17)) * TICK_MS }
}

function childrenOf (pid: number): number[] {
  let tasks: string[]
  try {
    tasks = readdirSync(`/proc/${pid}/task`)
  } catch {
    return []
  }
  const out: number[] = []
  for (const tid of tasks) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ')) if (c !== '') out.push(Number(c))
    } catch {
      // the thread ended while we listed it
    }
  }
  return out
}

/** CPU milliseconds of the running descendants of `pid` (each with its own reaped children). */
function descendantsMs (pid: number): number {
  let ms = 0
  const queue = childrenOf(pid)
  while (queue.length > 0) {
    const child = queue.pop() as number
    const stat = readStat(child)
    if (stat === undefined) continue
    ms += stat.own + stat.children
    queue.push(...childrenOf(child))
  }
  return ms
}

/** CPU milliseconds used so far by this process, its threads and its descendants. */
export function cpuMs (): number {
  const descendants = descendantsMs(process.pid)
  const reaped = readStat('self')?.children ?? 0
  const self = process.cpuUsage()
  return (self.user + self.system) / 1000 + reaped + descendants
}
