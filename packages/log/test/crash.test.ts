import { spawn, spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  RecordRegistry, Verifier, baseRecordTypes, compareStamps, exportIdentity, generateIdentity, validateEntry,
  type Identity, type SignedEntry
} from '@mutual/protocol'
import { Log, levelStore } from '@mutual/log'

/**
 * Crash safety: a child process appends to a level store and prints each acknowledged append;
 * it is killed with SIGKILL at random moments, and after each kill the parent reopens the store
 * and checks that every acknowledged entry survived, unchanged, in a chain that verifies, and
 * that the next run goes on from the stored head without reusing a seq.
 */

const SEED = Number(process.env.MUTUAL_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 32))
const KILLS = 24
const root = fileURLToPath(new URL('../../../', import.meta.url))
const child = fileURLToPath(new URL('./fixtures/append-child.ts', import.meta.url))

function prng (seed: number): (n: number) => number {
  let a = seed >>> 0
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) % n
  }
}

interface Ack { seq: number, id: string }

/** Runs the child until `killAfterMs` after its first acknowledgement, then SIGKILLs it. */
async function runUntilKilled (dir: string, key: string, inFlight: number, killAfterMs: number): Promise<Ack[]> {
  const proc = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', child, dir, key, String(inFlight)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  let err = ''
  let timer: NodeJS.Timeout | undefined
  const stuck = setTimeout(() => proc.kill('SIGKILL'), 20_000)
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => { err += chunk })
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk
    if (timer === undefined && out.includes('\n')) timer = setTimeout(() => proc.kill('SIGKILL'), killAfterMs)
  })
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => {
    proc.on('close', (c, s) => { resolve([c, s]) })
  })
  clearTimeout(stuck)
  clearTimeout(timer)
  if (signal !== 'SIGKILL' || timer === undefined) {
    throw new Error(`the child ended by ${signal ?? `exit ${code}`} before or without being killed:\n${err}`)
  }
  // Only whole lines were acknowledged; a line cut by the kill was not.
  return out.split('\n').slice(0, -1).map((line) => {
    const [seq, id] = line.split(' ')
    return { seq: Number(seq), id }
  })
}

describe('crash safety of the level store', () => {
  let dir: string
  let identity: Identity

  beforeAll(async () => {
    // The child runs the built packages: build them from the sources under test.
    const build = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/log'], { cwd: root, encoding: 'utf8' })
    if (build.status !== 0) throw new Error(`building packages/log failed:\n${build.stdout}${build.stderr}`)
    dir = await mkdtemp(join(tmpdir(), 'mutual-crash-'))
    identity = await generateIdentity()
  }, 120_000)

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it(`keeps every acknowledged append through ${KILLS} SIGKILLs (MUTUAL_CRASH_SEED=${SEED})`, async () => {
    console.log(`crash test seed ${SEED}: rerun with MUTUAL_CRASH_SEED=${SEED}`)
    const random = prng(SEED)
    const key = Buffer.from(exportIdentity(identity)).toString('hex')
    const verifier = new Verifier()
    const registry = new RecordRegistry(baseRecordTypes())
    /** every acknowledged append: seq → id */
    const acked = new Map<number, string>()
    let head = 0
    let verified = 0

    for (let kill = 0; kill < KILLS; kill++) {
      const acks = await runUntilKilled(dir, key, 1 + random(8), 20 + random(281))
      expect(acks.length, `run ${kill} acknowledged nothing`).toBeGreaterThan(0)
      // The run went on from the head the last one left: no seq skipped, none reused.
      expect(Math.min(...acks.map((a) => a.seq)), `run ${kill} did not start at head + 1`).toBe(head + 1)
      for (const { seq, id } of acks) {
        const earlier = acked.get(seq)
        if (earlier !== undefined && earlier !== id) throw new Error(`seq ${seq} acknowledged as ${earlier}, then as ${id}`)
        acked.set(seq, id)
      }

      const log = new Log({ store: levelStore({ path: dir }) })
      await log.start()
      try {
        const [space] = log.spaces()
        expect(log.spaces()).toHaveLength(1)
        expect(log.forks(space)).toEqual([])
        const vector = log.vector(space)
        expect(Object.keys(vector)).toEqual([identity.id])
        const stored = vector[identity.id]
        expect(stored.frozenAt).toBeUndefined()
        // Appends may be durable before the kill let them be acknowledged, never the reverse.
        expect(stored.seq).toBeGreaterThanOrEqual(Math.max(...acks.map((a) => a.seq)))

        let previous: SignedEntry | undefined
        let seq = 0
        for await (const entry of log.entries(space, identity.id)) {
          seq++
          expect(entry.entry.seq).toBe(seq)
          expect(entry.entry.author).toBe(identity.id)
          expect(entry.entry.prev?.toString() ?? null).toBe(previous?.id.toString() ?? null)
          if (previous !== undefined) expect(compareStamps(entry.entry.ts, previous.entry.ts)).toBeGreaterThanOrEqual(0)
          const id = entry.id.toString()
          const ackedId = acked.get(seq)
          if (ackedId !== undefined) expect(id, `acknowledged seq ${seq} changed`).toBe(ackedId)
          // Entries already checked in an earlier round are re-hashed above (entry.id); new ones
          // go through the full validation, signature included.
          if (seq > verified) {
            const checked = validateEntry(entry.bytes, { registry, verifier, now: Date.now() })
            expect(checked.id.toString()).toBe(id)
          }
          previous = entry
        }
        expect(seq).toBe(stored.seq)
        expect(previous?.id.toString()).toBe(stored.head)
        // Found by id too: this run's acknowledgements, and a sample of the earlier ones.
        const earlier = [...acked].filter(([s]) => s <= head)
        const byId = acks.map((a): [number, string] => [a.seq, a.id])
        if (earlier.length > 0) for (let i = 0; i < 50; i++) byId.push(earlier[random(earlier.length)])
        for (const [ackedSeq, id] of byId) {
          expect((await log.getById(id))?.entry.seq, `acknowledged ${id} is not found by id`).toBe(ackedSeq)
        }
        head = stored.seq
        verified = stored.seq
      } finally {
        await log.stop()
      }
    }
    expect(acked.size).toBeGreaterThan(KILLS)
    console.log(`crash test: ${KILLS} kills, ${acked.size} acknowledged appends, ${head} stored`)
  }, 90_000)
})
