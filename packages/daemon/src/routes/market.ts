import { randomBytes } from 'node:crypto'
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import { CID, type SignedEntry } from '@mutual/protocol'
import { NotFoundError } from '../errors.js'
import { UnknownSpaceError } from '@mutual/log'
import {
  SPACE_POLICY, TASK_ACCEPT, TASK_ANNOUNCE, TASK_APPLY, TASK_DECLINE, announceSchema, grantRefs, marketView, spaceEntriesOf, spacePolicySchema,
  type AnnounceBody, type ApplyBody
} from '@mutual/org'
import type { DaemonContext } from '../context.js'
import { entryToJson, toJson } from '../json.js'
import { EntrySchema, json, problems } from './schemas.js'
import { parse } from './org.js'

const MarketParamSchema = z.object({
  market: z.string().min(1).max(128).openapi({ param: { name: 'market', in: 'path' }, description: 'market space id' })
})
const DecisionParamSchema = MarketParamSchema.extend({
  id: z.string().min(1).max(128).openapi({ param: { name: 'id', in: 'path' }, description: 'application entry id' }),
  decision: z.enum(['accept', 'decline']).openapi({ param: { name: 'decision', in: 'path' } })
})
const CreateMarketSchema = z.object({
  name: z.string().min(1).max(200),
  grants: z.array(z.unknown()).max(64).optional().openapi({ description: 'organizations or federations whose reviewers and admins may decide on any application' })
}).openapi('CreateMarket')
const AnnounceSchema = z.object({
  board: z.string().max(128).optional(),
  task: z.string().max(64).optional(),
  title: z.string().min(1).max(200),
  summary: z.string().max(4000).optional(),
  skills: z.array(z.string().max(64)).max(32).optional(),
  estimate: z.number().nonnegative().optional(),
  valueWeight: z.number().nonnegative().optional(),
  deadline: z.number().int().optional()
}).openapi('Announce')
const ApplySchema = z.object({ announcement: z.string().min(1).max(128), note: z.string().max(2000).optional() }).openapi('Apply')
const DecisionSchema = z.object({ reason: z.string().min(1).max(1000) }).openapi('Decision')

export function marketRoutes (app: OpenAPIHono, ctx: DaemonContext): void {
  const { log, node, identity } = ctx

  const held = (market: string): void => {
    if (log.genesis(market)?.entry.body.kind !== 'market') throw new UnknownSpaceError(`no market ${market.slice(0, 128)} here`)
  }
  const byId = async (market: string, id: string, type: string): Promise<SignedEntry> => {
    const entry = await log.getById(id).catch(() => undefined)
    if (entry === undefined || entry.space !== market || entry.entry.type !== type) throw new NotFoundError(`no ${type} ${id.slice(0, 128)} in ${market}`)
    return entry
  }

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/markets',
    summary: 'Create a market anyone may announce in and apply to; this node joins it',
    request: { body: { required: true, content: { 'application/json': { schema: CreateMarketSchema } } } },
    responses: { 201: json(z.object({ market: z.string(), genesis: EntrySchema }), 'created'), ...problems(400, 401, 403) }
  }), async (c) => {
    const { name, grants } = c.req.valid('json')
    const genesis = await log.createSpace(identity, { kind: 'market', name, policy: { write: 'anyone', writers: [] }, encrypted: false, nonce: randomBytes(16) })
    if (grants !== undefined && grants.length > 0) {
      await log.append(identity, genesis.space, SPACE_POLICY, parse(spacePolicySchema, { grants, read: 'public' }, 'policy'))
    }
    await node.join(genesis.space)
    return c.json({ market: genesis.space, genesis: entryToJson(genesis) }, 201)
  })

  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/markets',
    summary: 'Markets held here',
    responses: { 200: json(z.object({ markets: z.array(z.object({ market: z.string(), name: z.string(), owner: z.string() })) }), 'markets'), ...problems(401, 403) }
  }), (c) => {
    const markets = log.spaces().sort().flatMap((space) => {
      const g = log.genesis(space)
      return g?.entry.body.kind === 'market' ? [{ market: space, name: g.entry.body.name, owner: g.entry.author }] : []
    })
    return c.json({ markets }, 200)
  })

  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/markets/{market}',
    summary: 'A market: announcements, each with its applications and their signed decisions',
    request: { params: MarketParamSchema },
    responses: { 200: json(z.object({ market: z.string(), name: z.string(), announcements: z.array(z.unknown()) }), 'market'), ...problems(401, 403, 404) }
  }), async (c) => {
    const { market } = c.req.valid('param')
    held(market)
    const announcements = marketView(await spaceEntriesOf(log, market))
    return c.json({ market, name: log.genesis(market)?.entry.body.name ?? '', announcements: toJson(announcements) as unknown[] }, 200)
  })

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/markets/{market}/announcements',
    summary: 'Announce a task',
    request: { params: MarketParamSchema, body: { required: true, content: { 'application/json': { schema: AnnounceSchema } } } },
    responses: { 201: json(EntrySchema, 'announced'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const { market } = c.req.valid('param')
    held(market)
    const r = c.req.valid('json')
    const body = parse<AnnounceBody>(announceSchema, {
      ...(r.board !== undefined ? { board: r.board } : {}),
      ...(r.task !== undefined ? { task: r.task } : {}),
      title: r.title,
      summary: r.summary ?? '',
      skills: r.skills ?? [],
      estimate: r.estimate ?? 0,
      valueWeight: r.valueWeight ?? 1,
      ...(r.deadline !== undefined ? { deadline: r.deadline } : {})
    }, 'announcement')
    return c.json(entryToJson(await log.append(identity, market, TASK_ANNOUNCE, body)), 201)
  })

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/markets/{market}/applications',
    summary: 'Apply for an announced task',
    request: { params: MarketParamSchema, body: { required: true, content: { 'application/json': { schema: ApplySchema } } } },
    responses: { 201: json(EntrySchema, 'applied'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const { market } = c.req.valid('param')
    held(market)
    const { announcement, note } = c.req.valid('json')
    const ann = await byId(market, announcement, TASK_ANNOUNCE)
    const entry = await log.append<ApplyBody>(identity, market, TASK_APPLY, { announcement: ann.id, note: note ?? '' }, [ann.id])
    return c.json(entryToJson(entry), 201)
  })

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/markets/{market}/applications/{id}/{decision}',
    summary: 'Accept or decline an application, with a signed reason (the announcer, or a reviewer or admin the market grants)',
    request: { params: DecisionParamSchema, body: { required: true, content: { 'application/json': { schema: DecisionSchema } } } },
    responses: { 201: json(EntrySchema, 'decided'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const { market, id, decision } = c.req.valid('param')
    held(market)
    const { reason } = c.req.valid('json')
    const application = await byId(market, id, TASK_APPLY) as SignedEntry<ApplyBody>
    const announcement = await byId(market, application.entry.body.announcement.toString(), TASK_ANNOUNCE)
    const refs: CID[] = [application.id, announcement.id]
    if (announcement.entry.author !== identity.id) {
      try {
        refs.push(...await grantRefs(log, market, identity.id))
      } catch {
        // no grant: the market's rules will say so
      }
    }
    const type = decision === 'accept' ? TASK_ACCEPT : TASK_DECLINE
    return c.json(entryToJson(await log.append(identity, market, type, { application: application.id, reason }, refs)), 201)
  })
}
