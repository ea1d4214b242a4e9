import { createRoute, z } from '@hono/zod-openapi'
import { CONTRIBUTION_KINDS } from '@mutual/ledger'
import { MAX_TASK_ID } from '@mutual/protocol'
import { EntrySchema, body, idParam, json, problems } from './common.js'
import { OrgParamSchema } from './invites.js'

/** Contribution ledgers: records, attestations, feedback, endorsements, allocations, disputes, shares, settlements. */

export const LedgerParamSchema = z.object({ ledger: idParam('ledger', 'ledger space id') })
export const LedgerEntryParamSchema = LedgerParamSchema.extend({ id: idParam('id', 'entry id (CID)') })

export const PeriodSchema = z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, 'period must be YYYY-MM')
const cidText = z.string().min(1).max(128)

export const CreateLedgerSchema = z.object({ org: cidText, name: z.string().min(1).max(200).optional() }).openapi('CreateLedger')
export const RecordSchema = z.object({
  task: z.string().min(1).max(64).optional(),
  board: cidText.optional(),
  kind: z.enum(CONTRIBUTION_KINDS),
  effort: z.number().int().min(0),
  summary: z.string().min(1),
  evidence: z.array(z.string()).optional(),
  period: PeriodSchema.optional().openapi({ description: 'default: the current UTC month' })
}).openapi('ContributionInput')
export const RecordTaskSchema = z.object({
  task: z.string().min(1).max(MAX_TASK_ID).openapi({ description: 'the task id; without `board`, also a title or id prefix of a task on a board held here' }),
  board: cidText.optional().openapi({ description: 'the board holding the task; default: the one board held here that has it' }),
  summary: z.string().min(1).max(1000).optional().openapi({ description: "default: the task's title" }),
  evidence: z.array(z.string()).optional(),
  period: PeriodSchema.optional().openapi({ description: 'default: the current UTC month' })
}).openapi('TaskContributionInput')
export const AttestSchema = z.object({
  contribution: cidText, verdict: z.enum(['accept', 'reject']), quality: z.number().int(), note: z.string().optional()
}).openapi('AttestationInput')
export const FeedbackSchema = z.object({
  task: z.string().min(1).max(64), board: cidText.optional(), satisfaction: z.number().int(), note: z.string().optional()
}).openapi('FeedbackInput')
export const EndorseSchema = z.object({ contribution: cidText, note: z.string().optional() }).openapi('EndorsementInput')
export const AllocateSchema = z.object({
  period: PeriodSchema.optional(),
  points: z.array(z.tuple([z.string(), z.number().int()]))
}).openapi('AllocationInput')
export const DisputeSchema = z.object({ target: cidText, reason: z.string().min(1) }).openapi('DisputeInput')
export const ResolveSchema = z.object({
  outcome: z.enum(['upheld', 'dismissed']), note: z.string().optional(), void: z.boolean().optional()
}).openapi('ResolveInput')
export const SettleSchema = z.object({ period: PeriodSchema }).openapi('SettlementInput')
export const SharesQuerySchema = z.object({
  period: PeriodSchema.optional(),
  explain: z.enum(['true', 'false', '1', '0']).optional()
})
export const ContributionsQuerySchema = z.object({ period: PeriodSchema.optional() })

export const LedgerSummarySchema = z.object({ ledger: z.string(), name: z.string(), org: z.string().nullable() }).openapi('LedgerSummary')

export const TaskLinkSchema = z.object({
  board: z.string().nullable().openapi({ description: "the task's board; null when the contribution names none" }),
  task: z.string(),
  title: z.string().nullable().openapi({ description: "the task's title when it was recorded from the task" })
}).openapi('TaskLink')

export const RequestedReviewSchema = z.object({
  reviewer: z.string(),
  attested: z.boolean(),
  attestation: z.string().optional(),
  verdict: z.enum(['accept', 'reject']).optional()
}).openapi('RequestedReview')

export const ReviewSchema = z.object({
  id: z.string(), author: z.string(), at: z.string(), verdict: z.enum(['accept', 'reject']), quality: z.number().int(), note: z.string()
}).openapi('Review')

export const RatingSchema = z.object({
  id: z.string(), author: z.string(), at: z.string(), satisfaction: z.number().int(), note: z.string().nullable()
}).openapi('Rating')

export const ResolutionSchema = z.object({
  id: z.string(), author: z.string(), at: z.string(), outcome: z.enum(['upheld', 'dismissed']), void: z.boolean(), note: z.string()
}).openapi('Resolution')

export const DisputeOutcomeSchema = z.object({
  id: z.string(),
  opener: z.string(),
  at: z.string(),
  reason: z.string(),
  status: z.enum(['open', 'upheld', 'dismissed']).openapi({ description: "as the ledger's rules decide it: one auditor, or an admin and a union-rep together" }),
  void: z.boolean().openapi({ description: 'upheld and the contribution removed from the distribution' }),
  decidedBy: z.array(z.string()).openapi({ description: 'the identities whose resolutions decided it' }),
  resolutions: z.array(ResolutionSchema)
}).openapi('DisputeOutcome')

export const ContributionSchema = EntrySchema.extend({
  attestations: z.array(EntrySchema),
  endorsements: z.array(EntrySchema),
  disputes: z.array(EntrySchema),
  task: TaskLinkSchema.nullable(),
  requested: z.array(RequestedReviewSchema).openapi({ description: 'the reviewers it asked to attest it, and whether each has' }),
  reviews: z.array(ReviewSchema).openapi({ description: 'its attestations, with their notes' }),
  feedback: z.array(RatingSchema).openapi({ description: "consumers' ratings of its task, with their comments" }),
  outcomes: z.array(DisputeOutcomeSchema).openapi({ description: 'its disputes, with their resolutions and how they were decided' })
}).openapi('Contribution')

export const RecordedTaskSchema = z.object({
  entry: EntrySchema,
  task: TaskLinkSchema,
  effort: z.number().int().openapi({ description: "the task's estimate" }),
  reviewers: z.array(z.string()).openapi({ description: 'the reviewers asked to attest it' })
}).openapi('RecordedTask')

const components = { effort: z.number().int(), quality: z.number().int(), satisfaction: z.number().int(), endorsement: z.number().int() }
const ComponentsSchema = z.object({ ...components, allocation: z.number().int() })

export const DistributionSchema = z.object({
  v: z.literal(1),
  period: z.string(),
  policy: z.number().int(),
  frozen: z.array(z.string()),
  totals: ComponentsSchema,
  shares: z.array(z.object({ participant: z.string(), ppm: z.number().int(), agents: z.array(z.string()) })),
  participants: z.array(z.object({ id: z.string(), paidTo: z.string(), components: ComponentsSchema })),
  contributions: z.array(z.object({
    id: z.string(),
    author: z.string(),
    paidTo: z.string(),
    kind: z.enum(CONTRIBUTION_KINDS),
    effort: z.number().int(),
    counted: z.boolean(),
    reason: z.string().optional(),
    accepts: z.number().int(),
    rejects: z.number().int(),
    quality: z.number().int(),
    ratings: z.number().int(),
    satisfaction: z.number().int(),
    endorsements: z.number().int(),
    components: z.object(components)
  })),
  allocations: z.array(z.object({
    id: z.string(),
    author: z.string(),
    counted: z.boolean(),
    reason: z.string().optional(),
    points: z.array(z.tuple([z.string(), z.number().int()])),
    dropped: z.array(z.tuple([z.string(), z.string()]))
  })),
  disputes: z.array(z.object({
    id: z.string(), target: z.string(), opener: z.string(), status: z.enum(['open', 'upheld', 'dismissed']), void: z.boolean(), decidedBy: z.array(z.string())
  })),
  ignored: z.array(z.object({ id: z.string(), type: z.string(), author: z.string(), reason: z.string() })),
  inputs: z.array(z.string())
}).openapi('Distribution')

export const PolicyInForceSchema = z.object({
  version: z.number().int(),
  period: z.literal('month'),
  weights: z.object({ effort: z.number().int(), quality: z.number().int(), satisfaction: z.number().int(), endorsement: z.number().int(), allocation: z.number().int() }),
  minAttestations: z.number().int(),
  allocationBudget: z.number().int(),
  agentShare: z.literal('operator'),
  enacted: z.number().int().openapi({ description: 'the org policy version in force (0: the default policy)' }),
  ratifiedBy: z.string(),
  default: z.boolean()
}).openapi('PolicyInForce')

export const SharesSchema = z.object({
  ledger: z.string(),
  period: z.string(),
  policy: PolicyInForceSchema,
  hash: z.string(),
  inputs: z.number().int(),
  shares: DistributionSchema.shape.shares,
  distribution: DistributionSchema.optional().openapi({ description: 'with explain=true: every line' })
}).openapi('Shares')

export const VerifySchema = z.object({
  ok: z.boolean(), expected: z.string(), actual: z.string(), missing: z.array(z.string()), extra: z.array(z.string()), period: z.string()
}).openapi('SettlementCheck')

const Written = json(z.object({ entry: EntrySchema }), 'the entry written')
const CreatedLedger = json(z.object({ ledger: z.string(), org: z.string() }), 'created')
const write = <S extends z.ZodType>(path: string, summary: string, schema: S) => createRoute({
  method: 'post',
  path: `/api/v1/ledgers/{ledger}${path}` as `/api/v1/ledgers/{ledger}${string}`,
  summary,
  request: { params: LedgerParamSchema, body: body(schema) },
  responses: { 201: Written, ...problems(400, 401, 403, 404) }
})

export const ledgerRoutes = {
  createOrgLedger: createRoute({
    method: 'post',
    path: '/api/v1/orgs/{org}/ledger',
    summary: "Create an organization's ledger: a space of kind ledger granted to every role of the org",
    request: { params: OrgParamSchema },
    responses: { 201: CreatedLedger, ...problems(400, 401, 403, 404) }
  }),
  createLedger: createRoute({
    method: 'post',
    path: '/api/v1/ledgers',
    summary: "Create an organization's ledger (same as POST /orgs/{org}/ledger)",
    request: { body: body(CreateLedgerSchema) },
    responses: { 201: CreatedLedger, ...problems(400, 401, 403, 404) }
  }),
  listLedgers: createRoute({
    method: 'get',
    path: '/api/v1/ledgers',
    summary: 'Ledgers held here',
    responses: { 200: json(z.object({ ledgers: z.array(LedgerSummarySchema) }), 'ledgers'), ...problems(401, 403) }
  }),
  record: write('/contributions', 'Record a contribution (contrib/record) by this node; a member or agent', RecordSchema),
  recordTask: createRoute({
    method: 'post',
    path: '/api/v1/ledgers/{ledger}/contributions/from-task',
    summary: "Record the contribution of a done task held by this node: effort from its estimate, the task linked, the org's reviewers asked to attest",
    request: { params: LedgerParamSchema, body: body(RecordTaskSchema) },
    responses: { 201: json(RecordedTaskSchema, 'the contribution written'), ...problems(400, 401, 403, 404, 409) }
  }),
  attest: write('/attestations', "Attest another's contribution (contrib/attest); a reviewer, never the author", AttestSchema),
  feedback: write('/feedback', 'Rate a delivered task (contrib/feedback); a consumer, once per task', FeedbackSchema),
  endorse: write('/endorsements', "Endorse another member's contribution (contrib/endorse)", EndorseSchema),
  allocate: write('/allocations', "Split this period's allocation budget among peers (contrib/allocate); a member", AllocateSchema),
  openDispute: write('/disputes', 'Dispute a contribution (dispute/open)', DisputeSchema),
  resolveDispute: createRoute({
    method: 'post',
    path: '/api/v1/ledgers/{ledger}/disputes/{id}/resolve',
    summary: 'Resolve a dispute (dispute/resolve); an auditor, or an admin and a union-rep together',
    request: { params: LedgerEntryParamSchema, body: body(ResolveSchema) },
    responses: { 201: Written, ...problems(400, 401, 403, 404) }
  }),
  contributions: createRoute({
    method: 'get',
    path: '/api/v1/ledgers/{ledger}/contributions',
    summary: 'Contributions recorded in a ledger, optionally for one period, with their attestations, endorsements and disputes',
    request: { params: LedgerParamSchema, query: ContributionsQuerySchema },
    responses: { 200: json(z.object({ contributions: z.array(ContributionSchema) }), 'contributions'), ...problems(400, 401, 403, 404) }
  }),
  contribution: createRoute({
    method: 'get',
    path: '/api/v1/ledgers/{ledger}/contributions/{id}',
    summary: 'One contribution with the entries about it',
    request: { params: LedgerEntryParamSchema },
    responses: { 200: json(ContributionSchema, 'the contribution'), ...problems(400, 401, 403, 404) }
  }),
  shares: createRoute({
    method: 'get',
    path: '/api/v1/ledgers/{ledger}/shares',
    summary: "A period's value distribution under the org's valuation policy in force (the default policy if it has none); explain=true adds every line",
    request: { params: LedgerParamSchema, query: SharesQuerySchema },
    responses: { 200: json(SharesSchema, 'the distribution'), ...problems(400, 401, 403, 404) }
  }),
  settle: createRoute({
    method: 'post',
    path: '/api/v1/ledgers/{ledger}/settlements',
    summary: "Sign a settlement of a period: the hash of its distribution and its inputs' ids (an admin, union-rep or auditor)",
    request: { params: LedgerParamSchema, body: body(SettleSchema) },
    responses: { 201: json(z.object({ entry: EntrySchema, hash: z.string() }), 'the settlement'), ...problems(400, 401, 403, 404) }
  }),
  verifySettlement: createRoute({
    method: 'get',
    path: '/api/v1/ledgers/{ledger}/settlements/{id}/verify',
    summary: 'Recompute a settlement from the entries held here and compare: ok, the hashes, missing and extra input ids',
    request: { params: LedgerEntryParamSchema },
    responses: { 200: json(VerifySchema, 'the check'), ...problems(400, 401, 403, 404) }
  })
}

export type Contribution = z.infer<typeof ContributionSchema>
export type RecordedTask = z.infer<typeof RecordedTaskSchema>
export type Shares = z.infer<typeof SharesSchema>
export type Distribution = z.infer<typeof DistributionSchema>
export type SettlementCheck = z.infer<typeof VerifySchema>
export type LedgerSummary = z.infer<typeof LedgerSummarySchema>
