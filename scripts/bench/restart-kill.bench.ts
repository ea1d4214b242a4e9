/**
 * restart-kill: one data directory, a board, and a `mutual daemon` killed with SIGKILL in the
 * middle of task writes 20 times (16 writes each time, the kill once 8 were acknowledged). Measured: time from spawning the
 * process to its ready line after the last kills (median of the starts after kills 18, 19 and
 * 20). Baseline in the same run: the same after the first kills (starts after kills 1, 2, 3).
 * A ratio near 1 means start-up does not grow with the number of unclean stops before it.
 */
import { cleanup, tempHome } from '../../test/cli/helpers.ts'
import { killCycles } from '../chaos/kill-cycles.ts'
import { result, type BenchResult } from './lib.ts'

const KILLS = 20

export default async function restartKill (): Promise<BenchResult[]> {
  try {
    const { readyMs, daemon } = await killCycles({ home: tempHome(), starts: KILLS + 1, writes: 16 })
    await daemon.stop()
    return [result({
      name: 'restart-kill',
      unit: 'ms to ready after kills 18–20',
      values: readyMs.slice(KILLS - 2, KILLS + 1),
      baselines: readyMs.slice(1, 4),
      baselineName: 'ms to ready after kills 1–3, same run',
      baselineUnit: 'ms',
      goal: 'ratio <= 1.5',
      params: { kills: KILLS, writesPerStart: 16, readyMs: readyMs.map(Math.round) }
    })]
  } finally {
    cleanup()
  }
}
