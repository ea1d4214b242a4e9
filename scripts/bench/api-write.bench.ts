/**
 * api-write: writes through the daemon's HTTP API as users make them, beside the library's own
 * append in the same run. One `mutual daemon` process (its level store syncs every batch, as it
 * does by default); the benchmark process is the client (`@mutual/client`), each request
 * awaited before the next unless said otherwise.
 *
 * - `api-append`: one client, `POST /spaces/{space}/entries` (a raw note) after each answer;
 * - `api-task-add`: one client, `POST /boards/{board}/tasks` after each answer;
 * - `api-append-16`: 16 clients at once, each awaiting its own appends (group commit must serve
 *   concurrent requests).
 *
 * Baselines: `Log.append` of the same notes by one identity on a level store with its default
 * durability, one awaited at a time (for the one-client figures) and 16 in flight (for the
 * concurrent one), in this process. Goals: ≥ 1,000 appends/s and ≥ 200 task adds/s with one
 * client, ≥ 3,000 appends/s with 16. CPU time counts the daemon (a child process) and this
 * process on the measured side. `API_WRITES` changes the number of writes per round;
 * `API_CPU_PROF=<dir>` starts the daemon under `node --cpu-prof`.
 */
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { createClient, type Client } from '@mutual/client'
import { Log, levelStore } from '@mutual/log'
import { generateIdentity } from '@mutual/protocol'
import { cleanup, startDaemon, tempHome } from '../../test/cli/helpers.ts'
import { genesisBody, noteBody } from './fixtures.ts'
import { compare, perSecond, pool, result, rounds, stopwatch, tempDir, type BenchResult } from './lib.ts'

const WRITES = Number(process.env.API_WRITES ?? 1000)
const TASKS = Math.max(1, Math.round(WRITES / 4))
const CLIENTS = 16

export default async function apiWrite (): Promise<BenchResult[]> {
  const profileDir = process.env.API_CPU_PROF
  const daemon = await startDaemon(tempHome(), { json: true, nodeArgs: profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] })
  const { url, token } = JSON.parse(readFileSync(join(daemon.home, 'api'), 'utf8')) as { url: string, token: string }
  const api: Client = createClient({ url, token })
  const { space } = await api.call('createSpace', { body: { name: 'api-write' } })
  const { board } = await api.call('createBoard', { body: { name: 'api-write' } })
  let n = 0

  const appends = async (concurrency: number): Promise<number> => {
    const watch = stopwatch()
    await pool(WRITES, concurrency, async () => { await api.call('append', { params: { space }, body: { type: 'space/note', body: noteBody(n++) } }) })
    return perSecond(WRITES, watch.stop())
  }
  const tasks = async (): Promise<number> => {
    const watch = stopwatch()
    for (let i = 0; i < TASKS; i++) await api.call('addTask', { params: { board }, body: { title: `task ${n++}` } })
    return perSecond(TASKS, watch.stop())
  }
  const library = async (concurrency: number): Promise<number> => {
    const dir = tempDir('api-write')
    const identity = await generateIdentity()
    const log = new Log({ store: levelStore({ path: dir.path }) })
    try {
      await log.start()
      const genesis = await log.createSpace(identity, genesisBody([identity]))
      const watch = stopwatch()
      await pool(WRITES, concurrency, async (i) => { await log.append(identity, genesis.space, 'space/note', noteBody(i)) })
      return perSecond(WRITES, watch.stop())
    } finally {
      await log.stop()
      dir.remove()
    }
  }

  try {
    const one = await compare({ rounds: rounds(3), baseline: async () => await library(1), measured: { append: async () => await appends(1), task: tasks } })
    const many = await compare({ rounds: rounds(3), baseline: async () => await library(CLIENTS), measured: { append: async () => await appends(CLIENTS) } })
    const store = 'level, synced per batch (the daemon and the baseline)'
    return [
      result({
        name: 'api-append',
        unit: 'appends/s',
        values: one.measured.append,
        baselines: one.baseline,
        baselineName: 'Log.append, one awaited at a time, same notes',
        baselineUnit: 'appends/s',
        goal: '>= 1,000 appends/s',
        params: { writes: WRITES, clients: 1, store }
      }),
      result({
        name: 'api-task-add',
        unit: 'task adds/s',
        values: one.measured.task,
        baselines: one.baseline,
        baselineName: 'Log.append, one awaited at a time, same notes',
        baselineUnit: 'appends/s',
        goal: '>= 200 task adds/s',
        params: { tasks: TASKS, clients: 1, store }
      }),
      result({
        name: 'api-append-16',
        unit: 'appends/s',
        values: many.measured.append,
        baselines: many.baseline,
        baselineName: `Log.append, ${CLIENTS} in flight, same notes`,
        baselineUnit: 'appends/s',
        goal: '>= 3,000 appends/s',
        params: { writes: WRITES, clients: CLIENTS, store }
      })
    ]
  } finally {
    await daemon.stop()
    cleanup()
  }
}
