import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CID, NOTE_TYPE, PROFILE_TYPE, generateIdentity, signEntry, type Identity, type SignedEntry } from '@mutual/protocol'
import { apiJson, startTestDaemon } from './helpers.js'

/** One author's chain in a space: each entry links to the one before. */
function chain (who: Identity, space: CID, items: Array<{ type: string, body: unknown }>): SignedEntry[] {
  const out: SignedEntry[] = []
  for (const [i, { type, body }] of items.entries()) {
    out.push(signEntry(who, { v: 1, space, author: who.id, seq: i + 1, prev: out[i - 1]?.id ?? null, ts: [Date.now() + i, 0], type, body }))
  }
  return out
}

const profile = (who: Identity, name: string): { type: string, body: unknown } =>
  ({ type: PROFILE_TYPE, body: { v: 1, identity: who.id, name, description: '', kind: 'person' } })

/** A restarted daemon finds the profiles it holds again (start-up reads only the entries that may be profiles). */
describe('names after a restart', () => {
  const homes: string[] = []
  afterAll(async () => { for (const h of homes) await rm(h, { recursive: true, force: true }) })

  it('are the latest profile of each identity held, as before the restart', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mutual-names-restart-'))
    homes.push(home)
    const [carol, dave] = await Promise.all([generateIdentity(), generateIdentity()])
    let daemon = await startTestDaemon({ home })
    const created = await apiJson<{ space: string }>(daemon, '/api/v1/spaces', { method: 'POST', body: JSON.stringify({ name: 'open', open: true }) })
    const space = CID.parse(created.body.space)
    const entries = [
      ...chain(carol, space, [
        profile(carol, 'Carol'),
        // A note that quotes the type's name is no profile.
        { type: NOTE_TYPE, body: { text: `set with ${PROFILE_TYPE}` } },
        profile(carol, 'Carol B')
      ]),
      ...chain(dave, space, [{ type: NOTE_TYPE, body: { text: 'hello' } }, profile(dave, 'Dave')])
    ]
    for (const e of entries) expect((await daemon.log.ingest(e.bytes)).status).toBe('added')
    const namesOf = async (): Promise<unknown> => (await apiJson(daemon, `/api/v1/names?ids=${carol.id},${dave.id}`)).body.names
    const expected = { [carol.id]: { name: 'Carol B', source: 'profile' }, [dave.id]: { name: 'Dave', source: 'profile' } }
    expect(await namesOf()).toEqual(expected)
    await daemon.stop()

    daemon = await startTestDaemon({ home })
    try {
      expect(await namesOf()).toEqual(expected)
    } finally {
      await daemon.stop()
    }
  })
})
