import { createRoute, z } from '@hono/zod-openapi'
import { body, json, problems } from './common.js'
import { BoardParamSchema } from './boards.js'
import { MarketParamSchema, MarketSummarySchema } from './orgs.js'

/** Following a market, and the market a board announces its ready tasks to. */

export const SetBoardMarketSchema = z.object({
  market: z.string().min(1).max(128).nullable().openapi({ description: 'the market; null turns announcing off' })
}).openapi('SetBoardMarket')

export const BoardMarketSchema = z.object({
  board: z.string(),
  market: z.string().nullable().openapi({ description: 'the market the board announces its ready tasks to, or null' }),
  by: z.string().nullable().openapi({ description: 'who set it (their node announces)' }),
  entry: z.string().nullable().openapi({ description: 'the board/market entry in force' })
}).openapi('BoardMarket')

export const marketRoutes = {
  joinMarket: createRoute({
    method: 'post',
    path: '/api/v1/markets/{market}/join',
    summary: 'Follow a market this node knows (held, or announced in an org space held here)',
    request: { params: MarketParamSchema },
    responses: { 200: json(MarketSummarySchema, 'following'), ...problems(400, 401, 403, 404) }
  }),
  boardMarket: createRoute({
    method: 'get',
    path: '/api/v1/boards/{board}/market',
    summary: 'The market a board announces its ready tasks to',
    request: { params: BoardParamSchema },
    responses: { 200: json(BoardMarketSchema, 'setting'), ...problems(400, 401, 403, 404) }
  }),
  setBoardMarket: createRoute({
    method: 'put',
    path: '/api/v1/boards/{board}/market',
    summary: "Set the market a board announces its ready tasks to (not done, dependencies done, not held), or turn it off; by someone who may administer the board, whose node then announces",
    request: { params: BoardParamSchema, body: body(SetBoardMarketSchema) },
    responses: { 200: json(BoardMarketSchema, 'set'), ...problems(400, 401, 403, 404) }
  })
}

export type BoardMarket = z.infer<typeof BoardMarketSchema>
