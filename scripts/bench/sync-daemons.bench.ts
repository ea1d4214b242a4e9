/**
 * sync-daemons: a fresh `mutual daemon` process catches up 10,000 entries (4 authors, one raw
 * space) from another daemon process over TCP on loopback, the way users meet sync: through
 * the HTTP API, `joinSpace` then `connect`, timed until the fresh daemon's version vector of the
 * space equals the source's (polled through the API every 20 ms). Each round starts a new empty
 * daemon (its start is not timed); the source holds the entries in its data directory from
 * the start (written there with the library before it starts).
 *
 * Baseline in the same run, rounds interleaved: the library's ingest of the same entries into a
 * fresh log on a level store, as the daemon stores them (`Log.ingest(bytes, { durable: false })`
 * one at a time, then one `flush`), in this process. Goals: ≥ 5,000 entries/s and ≥ 0.5× the
 * baseline. CPU time counts both daemons (child processes) on the measured side.
 *
 * `SYNC_ENTRIES` changes the count; `SYNC_CPU_PROF=<dir>` starts both daemons under
 * `node --cpu-prof` writing their profiles there (the source's is the
 * one written last).
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { createClient, type Client } from '@mutual/client'
import { Log, levelStore, vectorsEqual, type VersionVector } from '@mutual/log'
import { cleanup, startDaemon, tempHome, BIN, type DaemonProcess } from '../../test/cli/helpers.ts'
import { readFileSync } from 'node:fs'
import { signedEntries } from './fixtures.ts'
import { BenchSetupError, compare, perSecond, result, rounds, stopwatch, tempDir, type BenchResult } from './lib.ts'

const COUNT = Number(process.env.SYNC_ENTRIES ?? 10_000)
const AUTHORS = 4
const POLL_MS = 20

function clientOf (d: DaemonProcess): Client {
  const { url, token } = JSON.parse(readFileSync(join(d.home, 'api'), 'utf8')) as { url: string, token: string }
  return createClient({ url, token })
}

async function ingestInto (path: string, entries: Uint8Array[]): Promise<void> {
  const log = new Log({ store: levelStore({ path }) })
  await log.start()
  for (const bytes of entries) await log.ingest(bytes, { durable: false })
  await log.flush()
  await log.stop()
}

export default async function syncDaemons (): Promise<BenchResult[]> {
  const fixture = await signedEntries(COUNT, AUTHORS)
  const sourceHome = tempHome()
  const init = spawnSync(process.execPath, [BIN, 'init', '--home', sourceHome], { encoding: 'utf8' })
  if (init.status !== 0) throw new BenchSetupError(`mutual init failed: ${init.stderr}`)
  await ingestInto(join(sourceHome, 'db'), fixture.entries)
  const profileDir = process.env.SYNC_CPU_PROF
  const nodeArgs = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]
  const source = await startDaemon(sourceHome, { json: true, nodeArgs })
  const sourceApi = clientOf(source)
  const want: VersionVector = (await sourceApi.call('vector', { params: { space: fixture.space } })).vector
  const address = source.ready.addresses[0]

  const catchUp = async (): Promise<number> => {
    const home = tempHome()
    const fresh = await startDaemon(home, { json: true, nodeArgs })
    const api = clientOf(fresh)
    try {
      const watch = stopwatch()
      await api.call('joinSpace', { params: { space: fixture.space } })
      await api.call('connect', { body: { address } })
      for (;;) {
        const { vector } = await api.call('vector', { params: { space: fixture.space } }).catch(() => ({ vector: {} }))
        if (vectorsEqual(vector, want)) break
        await new Promise((resolve) => setTimeout(resolve, POLL_MS))
      }
      return perSecond(COUNT, watch.stop())
    } finally {
      await fresh.stop()
    }
  }

  const ingest = async (): Promise<number> => {
    const dir = tempDir('sync-daemons')
    try {
      const log = new Log({ store: levelStore({ path: dir.path }) })
      await log.start()
      const watch = stopwatch()
      for (const bytes of fixture.entries) await log.ingest(bytes, { durable: false })
      await log.flush()
      const ms = watch.stop()
      if (!vectorsEqual(log.vector(fixture.space), want)) throw new BenchSetupError('baseline: ingest incomplete')
      await log.stop()
      return perSecond(COUNT, ms)
    } finally {
      dir.remove()
    }
  }

  try {
    const { baseline, measured } = await compare({ rounds: rounds(3), baseline: ingest, measured: { sync: catchUp } })
    return [result({
      name: 'sync-daemons',
      unit: 'entries/s',
      values: measured.sync,
      baselines: baseline,
      baselineName: 'Log.ingest of the same entries into a level store, one process, no network',
      baselineUnit: 'entries/s',
      goal: '>= 0.5 (and >= 5,000 entries/s)',
      params: { entries: COUNT, authors: AUTHORS, pollMs: POLL_MS, store: 'level (both daemons and the baseline)' }
    })]
  } finally {
    await source.stop()
    cleanup()
  }
}
