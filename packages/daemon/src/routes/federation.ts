import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import { parseCid } from '@mutual/protocol'
import { UnknownSpaceError } from '@mutual/log'
import { acceptFederation, createFederation, federationState, spaceEntriesOf } from '@mutual/org'
import type { DaemonContext } from '../context.js'
import { InvalidRequestError } from '../errors.js'
import { entryToJson } from '../json.js'
import { EntrySchema, json, problems } from './schemas.js'

const FederationParamSchema = z.object({
  federation: z.string().min(1).max(128).openapi({ param: { name: 'federation', in: 'path' }, description: 'federation space id' })
})
const CreateFederationSchema = z.object({ name: z.string().min(1).max(200), orgs: z.array(z.string().max(128)).min(1).max(64) }).openapi('CreateFederation')
const AcceptSchema = z.object({ org: z.string().min(1).max(128) }).openapi('AcceptFederation')
const FederationSchema = z.object({
  federation: z.string(),
  name: z.string(),
  creator: z.string(),
  orgs: z.array(z.string()),
  accepted: z.array(z.string()),
  inForce: z.boolean(),
  inForceAt: z.string().optional()
}).openapi('Federation')

export function federationRoutes (app: OpenAPIHono, ctx: DaemonContext): void {
  const { log, node, identity } = ctx

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/federations',
    summary: 'Create a federation of organizations (its genesis and charter); in force once each accepts',
    request: { body: { required: true, content: { 'application/json': { schema: CreateFederationSchema } } } },
    responses: { 201: json(z.object({ federation: z.string(), genesis: EntrySchema }), 'created'), ...problems(400, 401, 403) }
  }), async (c) => {
    const { name, orgs } = c.req.valid('json')
    for (const org of orgs) if (parseCid(org) === undefined) throw new InvalidRequestError(`"${org.slice(0, 128)}" is not an org id`)
    const genesis = await createFederation(log, identity, name, [...new Set(orgs)])
    await node.join(genesis.space)
    for (const org of orgs) await node.join(org)
    return c.json({ federation: genesis.space, genesis: entryToJson(genesis) }, 201)
  })

  app.openapi(createRoute({
    method: 'post',
    path: '/api/v1/federations/{federation}/accept',
    summary: 'Accept a federation for an organization this node administers',
    request: { params: FederationParamSchema, body: { required: true, content: { 'application/json': { schema: AcceptSchema } } } },
    responses: { 201: json(EntrySchema, 'accepted'), ...problems(400, 401, 403, 404) }
  }), async (c) => {
    const { federation } = c.req.valid('param')
    const { org } = c.req.valid('json')
    if (log.genesis(federation)?.entry.body.kind !== 'federation') throw new UnknownSpaceError(`no federation ${federation.slice(0, 128)} here`)
    const entry = await acceptFederation(log, identity, federation, org)
    return c.json(entryToJson(entry), 201)
  })

  app.openapi(createRoute({
    method: 'get',
    path: '/api/v1/federations/{federation}',
    summary: 'A federation: its organizations, which accepted, whether it is in force',
    request: { params: FederationParamSchema },
    responses: { 200: json(FederationSchema, 'federation'), ...problems(401, 403, 404) }
  }), async (c) => {
    const { federation } = c.req.valid('param')
    const genesis = log.genesis(federation)
    if (genesis?.entry.body.kind !== 'federation') throw new UnknownSpaceError(`no federation ${federation.slice(0, 128)} here`)
    const state = federationState(await spaceEntriesOf(log, federation))
    return c.json({
      federation,
      name: genesis.entry.body.name,
      creator: genesis.entry.author,
      orgs: state.charter?.orgs ?? [],
      accepted: [...state.accepts.keys()],
      inForce: state.inForce,
      ...(state.inForceAt !== undefined ? { inForceAt: state.inForceAt } : {})
    }, 200)
  })
}
