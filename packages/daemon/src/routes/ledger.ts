import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import { CID, cidString, type SignedEntry } from '@mutual/protocol'
import { ROLES, adminRefsOf, createGrantedSpace, grantRefs, newestCredential, type Role } from '@mutual/org'
import {
  CONTRIB_ALLOCATE, CONTRIB_ATTEST, CONTRIB_ENDORSE, CONTRIB_FEEDBACK, CONTRIB_RECORD, CONTRIBUTION_KINDS, DISPUTE_OPEN,
  DISPUTE_RESOLVE, SETTLEMENT, DuplicateFeedbackError, distribute, distributionHash, isPeriod, parsePolicy, periodOf, settle, taskKey, verifySettlement,
  type ContribFeedbackBody, type ContribRecordBody, type ValuationPolicy
} from '@mutual/ledger'
import type { DaemonContext } from '../context.js'
import { InvalidRequestError, NotFoundError } from '../errors.js'
import { entryToJson, toJson } from '../json.js'
import { ledgerOrg, policyInForce, spaceParticipants, DEFAULT_VALUATION_POLICY } from './ledger-participants.js'
import { EntrySchema, json, problems } from './schemas.js'

/** A space that is not a ledger (kind `ledger`) where a ledger is asked for. */
export class NotALedgerError extends Error {
  override name = 'NotALedgerError'
}

/** This node's identity holds no live credential of the organization a ledger is granted to, for the role the entry needs. */
export class NoCredentialError extends Error {
  override name = 'NoCredentialError'
}

const LedgerParamSchema = z.object({
  ledger: z.string().min(1).max(128).openapi({ param: { name: 'ledger', in: 'path' }, description: 'ledger space id' })
})
const OrgParamSchema = z.object({
  org: z.string().min(1).max(128).openapi({ param: { name: 'org', in: 'path' }, description: 'org space id' })
})
const EntryParamSchema = LedgerParamSchema.extend({
  id: z.string().min(1).max(128).openapi({ param: { name: 'id', in: 'path' }, description: 'entry id (CID)' })
})
const PeriodSchema = z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, 'period must be YYYY-MM')
const cidText = z.string().min(1).max(128)

const CreateLedgerSchema = z.object({ org: cidText, name: z.string().min(1).max(200).optional() }).openapi('CreateLedger')
const RecordSchema = z.object({
  task: z.string().min(1).max(64).optional(),
  board: cidText.optional(),
  kind: z.enum(CONTRIBUTION_KINDS),
  effort: z.number().int().min(0),
  summary: z.string().min(1),
  evidence: z.array(z.string()).optional(),
  period: PeriodSchema.optional().openapi({ description: 'default: the current UTC month' })
}).openapi('ContributionInput')
const AttestSchema = z.object({
  contribution: cidText, verdict: z.enum(['accept', 'reject']), quality: z.number().int(), note: z.string().optional()
}).openapi('AttestationInput')
const FeedbackSchema = z.object({
  task: z.string().min(1).max(64), board: cidText.optional(), satisfaction: z.number().int(), note: z.string().optional()
}).openapi('FeedbackInput')
const EndorseSchema = z.object({ contribution: cidText, note: z.string().optional() }).openapi('EndorsementInput')
const AllocateSchema = z.object({
  period: PeriodSchema.optional(),
  points: z.array(z.tuple([z.string(), z.number().int()]))
}).openapi('AllocationInput')
const DisputeSchema = z.object({ target: cidText, reason: z.string().min(1) }).openapi('DisputeInput')
const ResolveSchema = z.object({
  outcome: z.enum(['upheld', 'dismissed']), note: z.string().optional(), void: z.boolean().optional()
}).openapi('ResolveInput')
const SettleSchema = z.object({ period: PeriodSchema }).openapi('SettlementInput')
const SharesQuerySchema = z.object({
  period: PeriodSchema.optional(),
  explain: z.enum(['true', 'false', '1', '0']).optional()
})
const ContributionsQuerySchema = z.object({ period: PeriodSchema.optional() })

/** The roles whose credential an entry of each type needs in refs (the ledger authorizer checks one of them). */
const NEEDS: Record<string, readonly Role[]> = {
  [CONTRIB_RECORD]: ['member', 'agent'],
  [CONTRIB_ATTEST]: ['reviewer'],
  [CONTRIB_FEEDBACK]: ['consumer'],
  [CONTRIB_ENDORSE]: ['member'],
  [CONTRIB_ALLOCATE]: ['member'],
  [DISPUTE_OPEN]: [],
  [DISPUTE_RESOLVE]: ['auditor', 'admin', 'union-rep'],
  [SETTLEMENT]: ['admin', 'union-rep', 'auditor']
}

const currentPeriod = (): string => periodOf([Date.now(), 0])

/**
 * The contribution ledger of an organization: one space of kind `ledger` per org, granted to it.
 * Every write is an entry by this node's identity, with the refs the grant and ledger authorizers
 * ask for (the space policy, a live credential for the role the entry needs, the target entry);
 * an entry the rules refuse is answered with its named error and nothing is stored.
 */
export function ledgerRoutes (app: OpenAPIHono, ctx: DaemonContext): void {
  const { log, node, identity, orgs } = ctx

  const assertLedger = (ledger: string): string => {
    const genesis = log.genesis(ledger)
    if (genesis === undefined) throw new NotALedgerError(`no space ${ledger} here`)
    if (genesis.entry.body.kind !== 'ledger') throw new NotALedgerError(`space ${ledger} is a ${genesis.entry.body.kind}, not a ledger`)
    return ledger
  }

  const entriesOf = async (ledger: string): Promise<SignedEntry[]> => {
    const out: SignedEntry[] = []
    for await (const e of log.spaceEntries(ledger)) out.push(e)
    return out
  }

  const frozenOf = (ledger: string): Set<string> => new Set(log.forks(ledger).map((f) => f.author))

  const refsFor = async (ledger: string, type: string, targets: string[]): Promise<CID[]> => {
    const org = ledgerOrg(orgs, ledger)
    if (org === undefined) throw new NotALedgerError(`ledger ${ledger} is not granted to an organization this node holds`)
    const state = orgs.state(org)
    if (state === undefined) throw new NotALedgerError(`this node does not hold org ${org}`)
    const refs: string[] = []
    try {
      for (const id of await grantRefs(log, ledger, identity.id)) refs.push(id.toString())
    } catch (err) {
      // No credential at all: an admin (founder) may still write what their admin role allows below.
      if ((err as Error).name !== 'OrgError') throw err
    }
    const policy = refs[0]
    for (const role of NEEDS[type] ?? []) {
      if (role === 'admin') {
        if (state.admins.get(identity.id)?.removed === undefined && state.admins.has(identity.id)) {
          refs.push(...(identity.id === state.founder ? [org] : adminRefsOf(state, identity.id)))
        }
        continue
      }
      const credential = newestCredential(state, identity.id, Date.now(), role)
      if (credential !== undefined) refs.push(credential)
    }
    if (policy === undefined) {
      // The grant authorizer wants the space policy in refs; grantRefs found no credential to pair it with.
      const genesis = log.genesis(ledger)
      const p = genesis === undefined ? undefined : await log.get(ledger, genesis.entry.author, 2)
      if (p === undefined) throw new NotALedgerError(`ledger ${ledger} has no grant policy`)
      refs.unshift(p.id.toString())
      if (refs.length === 1) throw new NoCredentialError(`${identity.id} holds no live credential of org ${org}`)
    }
    refs.push(...targets)
    return [...new Set(refs)].map((id) => CID.parse(id))
  }

  const write = async (ledger: string, type: string, body: unknown, targets: string[] = []): Promise<SignedEntry> => {
    assertLedger(ledger)
    return await log.append(identity, ledger, type, body, await refsFor(ledger, type, targets))
  }

  const entryIn = async (ledger: string, id: string, type?: string): Promise<SignedEntry> => {
    let cid: string
    try {
      cid = cidString(CID.parse(id))
    } catch {
      throw new InvalidRequestError(`"${id.slice(0, 80)}" is not an entry id`)
    }
    const entry = await log.getById(cid)
    if (entry === undefined || entry.space !== ledger || (type !== undefined && entry.entry.type !== type)) {
      throw new NotFoundError(`no ${type ?? 'entry'} ${cid} in ledger ${ledger}`)
    }
    return entry
  }

  const created = (entry: SignedEntry): { entry: ReturnType<typeof entryToJson> } => ({ entry: entryToJson(entry) })

  const createLedger = async (org: string, name?: string): Promise<{ ledger: string, org: string }> => {
    if (log.genesis(org)?.entry.body.kind !== 'org') throw new NotFoundError(`no org space ${org} here`)
    const genesis = await createGrantedSpace(log, identity, {
      kind: 'ledger',
      name: name ?? 'ledger',
      policy: { grants: [{ org, roles: [...ROLES] }], read: 'grants' }
    })
    await node.join(genesis.space)
    return { ledger: genesis.space, org }
  }

  const CreatedLedger = json(z.object({ ledger: z.string(), org: z.string() }), 'created')
  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/orgs/{org}/ledger',
    summary: "Create an organization's ledger: a space of kind ledger granted to every role of the org",
    request: { params: OrgParamSchema },
    responses: { 201: CreatedLedger, ...problems(400, 401, 403, 404) }
  }), async (c) => c.json(await createLedger(c.req.valid('param').org), 201))

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/ledgers',
    summary: "Create an organization's ledger (same as POST /orgs/{org}/ledger)",
    request: { body: { required: true, content: { 'application/json': { schema: CreateLedgerSchema } } } },
    responses: { 201: CreatedLedger, ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const { org, name } = c.req.valid('json')
    return c.json(await createLedger(org, name), 201)
  })

  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/ledgers',
    summary: 'Ledgers held here',
    responses: { 200: json(z.object({ ledgers: z.array(z.object({ ledger: z.string(), name: z.string(), org: z.string().nullable() })) }), 'ledgers'), ...problems(401, 403) }
  }), (c) => {
    const ledgers = log.spaces().filter((s) => log.genesis(s)?.entry.body.kind === 'ledger').sort()
      .map((s) => ({ ledger: s, name: log.genesis(s)?.entry.body.name ?? '', org: ledgerOrg(orgs, s) ?? null }))
    return c.json({ ledgers }, 200)
  })

  const Created = json(z.object({ entry: EntrySchema }), 'the entry written')
  const post = <S extends z.ZodType>(path: string, summary: string, schema: S, handler: (ledger: string, body: z.infer<S>, id?: string) => Promise<SignedEntry>, withId = false): void => {
    app.openapi(createRoute({
      method: 'post',
      path: `/api/v1/ledgers/{ledger}${path}`,
      summary,
      request: {
        params: withId ? EntryParamSchema : LedgerParamSchema,
        body: { required: true, content: { 'application/json': { schema } } }
      },
      responses: { 201: Created, ...problems(400, 401, 403, 404) }
    }), async (c) => {
      const req = c.req as unknown as { valid: (target: 'param' | 'json') => unknown }
      const params = req.valid('param') as { ledger: string, id?: string }
      assertLedger(params.ledger)
      const entry = await handler(params.ledger, req.valid('json') as z.infer<S>, params.id)
      return c.json(created(entry), 201)
    })
  }

  post('/contributions', 'Record a contribution (contrib/record) by this node; a member or agent', RecordSchema, async (ledger, b) => {
    const body: ContribRecordBody = {
      kind: b.kind, effort: b.effort, summary: b.summary, evidence: b.evidence ?? [], period: b.period ?? currentPeriod()
    }
    if (b.task !== undefined) body.task = b.task
    if (b.board !== undefined) body.board = CID.parse(b.board)
    return await write(ledger, CONTRIB_RECORD, body)
  })

  post('/attestations', "Attest another's contribution (contrib/attest); a reviewer, never the author", AttestSchema, async (ledger, b) => {
    const target = await entryIn(ledger, b.contribution, CONTRIB_RECORD)
    return await write(ledger, CONTRIB_ATTEST, { contribution: target.id, verdict: b.verdict, quality: b.quality, note: b.note ?? '' }, [target.id.toString()])
  })

  post('/feedback', 'Rate a delivered task (contrib/feedback); a consumer, once per task', FeedbackSchema, async (ledger, b) => {
    const board = b.board === undefined ? undefined : CID.parse(b.board)
    const key = taskKey(b.task, board)
    for (const e of await entriesOf(ledger)) {
      if (e.entry.type !== CONTRIB_FEEDBACK || e.entry.author !== identity.id) continue
      const f = e.entry.body as ContribFeedbackBody
      if (taskKey(f.task, f.board) === key) {
        throw new DuplicateFeedbackError(`${identity.id} already gave feedback on task ${b.task}`)
      }
    }
    const body: ContribFeedbackBody = { task: b.task, satisfaction: b.satisfaction }
    if (board !== undefined) body.board = board
    if (b.note !== undefined) body.note = b.note
    return await write(ledger, CONTRIB_FEEDBACK, body)
  })

  post('/endorsements', "Endorse another member's contribution (contrib/endorse)", EndorseSchema, async (ledger, b) => {
    const target = await entryIn(ledger, b.contribution, CONTRIB_RECORD)
    const body: { contribution: CID, note?: string } = { contribution: target.id }
    if (b.note !== undefined) body.note = b.note
    return await write(ledger, CONTRIB_ENDORSE, body, [target.id.toString()])
  })

  post('/allocations', "Split this period's allocation budget among peers (contrib/allocate); a member", AllocateSchema, async (ledger, b) => {
    return await write(ledger, CONTRIB_ALLOCATE, { period: b.period ?? currentPeriod(), points: b.points })
  })

  post('/disputes', 'Dispute a contribution (dispute/open)', DisputeSchema, async (ledger, b) => {
    const target = await entryIn(ledger, b.target, CONTRIB_RECORD)
    return await write(ledger, DISPUTE_OPEN, { target: target.id, reason: b.reason }, [target.id.toString()])
  })

  post('/disputes/{id}/resolve', 'Resolve a dispute (dispute/resolve); an auditor, or an admin and a union-rep together', ResolveSchema, async (ledger, b, id) => {
    const dispute = await entryIn(ledger, id as string, DISPUTE_OPEN)
    const body: { dispute: CID, outcome: 'upheld' | 'dismissed', note: string, void?: boolean } = { dispute: dispute.id, outcome: b.outcome, note: b.note ?? '' }
    if (b.void !== undefined) body.void = b.void
    return await write(ledger, DISPUTE_RESOLVE, body, [dispute.id.toString()])
  }, true)

  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/ledgers/{ledger}/contributions',
    summary: 'Contributions recorded in a ledger, optionally for one period, with their attestations, endorsements and disputes',
    request: { params: LedgerParamSchema, query: ContributionsQuerySchema },
    responses: { 200: json(z.object({ contributions: z.array(z.unknown()) }), 'contributions'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const { ledger } = c.req.valid('param')
    const { period } = c.req.valid('query')
    assertLedger(ledger)
    const entries = await entriesOf(ledger)
    const contributions = entries
      .filter((e) => e.entry.type === CONTRIB_RECORD && (period === undefined || (e.entry.body as ContribRecordBody).period === period))
      .map((e) => contributionJson(e, entries))
    return c.json({ contributions }, 200)
  })

  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/ledgers/{ledger}/contributions/{id}',
    summary: 'One contribution with the entries about it',
    request: { params: EntryParamSchema },
    responses: { 200: json(z.unknown(), 'the contribution'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const { ledger, id } = c.req.valid('param')
    assertLedger(ledger)
    const entry = await entryIn(ledger, id, CONTRIB_RECORD)
    return c.json(contributionJson(entry, await entriesOf(ledger)) as Record<string, unknown>, 200)
  })

  const policyFor = (ledger: string): { policy: ValuationPolicy, ratifiedBy: string, version: number, isDefault: boolean } =>
    policyInForce(orgs, ledger) ?? { policy: DEFAULT_VALUATION_POLICY, ratifiedBy: ledger, version: 0, isDefault: true }

  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/ledgers/{ledger}/shares',
    summary: "A period's value distribution under the org's valuation policy in force (the default policy if it has none); explain=true adds every line",
    request: { params: LedgerParamSchema, query: SharesQuerySchema },
    responses: { 200: json(z.unknown(), 'the distribution'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const { ledger } = c.req.valid('param')
    const q = c.req.valid('query')
    assertLedger(ledger)
    const period = q.period ?? currentPeriod()
    const p = policyFor(ledger)
    const d = distribute(p.policy, await entriesOf(ledger), spaceParticipants(orgs, ledger), period, { frozen: frozenOf(ledger) })
    const out: Record<string, unknown> = {
      ledger,
      period,
      policy: { ...p.policy, enacted: p.version, ratifiedBy: p.ratifiedBy, default: p.isDefault },
      hash: distributionHash(d),
      inputs: d.inputs.length,
      shares: toJson(d.shares)
    }
    if (q.explain === 'true' || q.explain === '1') out.distribution = toJson(d)
    return c.json(out, 200)
  })

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/ledgers/{ledger}/settlements',
    summary: "Sign a settlement of a period: the hash of its distribution and its inputs' ids (an admin, union-rep or auditor)",
    request: { params: LedgerParamSchema, body: { required: true, content: { 'application/json': { schema: SettleSchema } } } },
    responses: { 201: json(z.object({ entry: EntrySchema, hash: z.string() }), 'the settlement'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const { ledger } = c.req.valid('param')
    const { period } = c.req.valid('json')
    assertLedger(ledger)
    if (!isPeriod(period)) throw new InvalidRequestError('period must be YYYY-MM')
    const p = policyFor(ledger)
    const d = distribute(p.policy, await entriesOf(ledger), spaceParticipants(orgs, ledger), period, { frozen: frozenOf(ledger) })
    const entry = await write(ledger, SETTLEMENT, settle(d, CID.parse(p.ratifiedBy)))
    return c.json({ entry: entryToJson(entry), hash: distributionHash(d) }, 201)
  })

  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/ledgers/{ledger}/settlements/{id}/verify',
    summary: 'Recompute a settlement from the entries held here and compare: ok, the hashes, missing and extra input ids',
    request: { params: EntryParamSchema },
    responses: { 200: json(z.object({ ok: z.boolean(), expected: z.string(), actual: z.string(), missing: z.array(z.string()), extra: z.array(z.string()), period: z.string() }), 'the check'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const { ledger, id } = c.req.valid('param')
    assertLedger(ledger)
    const entry = await entryIn(ledger, id, SETTLEMENT)
    const named = cidString((entry.entry.body as { policy: CID }).policy)
    const org = ledgerOrg(orgs, ledger)
    const state = org === undefined ? undefined : orgs.state(org)
    const version = state?.policies.find((v) => v.enactedBy === named)
    const policy = version !== undefined ? parsePolicy(version.policy) : DEFAULT_VALUATION_POLICY
    const check = verifySettlement(entry, policy, await entriesOf(ledger), spaceParticipants(orgs, ledger), { frozen: frozenOf(ledger) })
    return c.json({ ok: check.ok, expected: check.expected, actual: check.actual, missing: check.missing, extra: check.extra, period: check.distribution.period }, 200)
  })
}

function contributionJson (record: SignedEntry, entries: SignedEntry[]): unknown {
  const id = record.id.toString()
  const about = (type: string, field: string): unknown[] => entries
    .filter((e) => e.entry.type === type && String((e.entry.body as Record<string, unknown>)[field]) === id)
    .map(entryToJson)
  return {
    ...entryToJson(record),
    attestations: about(CONTRIB_ATTEST, 'contribution'),
    endorsements: about(CONTRIB_ENDORSE, 'contribution'),
    disputes: about(DISPUTE_OPEN, 'target')
  }
}
