import { createRoute, z } from '@hono/zod-openapi'
import { body, json, problems } from './common.js'
import { BoardParamSchema } from './boards.js'

/**
 * A web page's live replica of a board (DESIGN §6, web UI): Yjs updates both ways, base64. The
 * daemon checks each update from a page as it checks a local edit and signs it as its entry.
 */

const base64 = z.string().max(200_000).regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'base64')

export const DocQuerySchema = z.object({
  since: base64.optional().openapi({ description: "the page replica's Yjs state vector (base64); without it the whole document" })
})

export const DocStateSchema = z.object({
  update: z.string().openapi({ description: 'a Yjs update (base64) with what the page lacks' }),
  vector: z.string().openapi({ description: "the daemon replica's state vector (base64)" })
}).openapi('BoardDocState')

export const DocUpdateSchema = z.object({
  update: base64.min(1).openapi({ description: 'a Yjs update (base64) that changes task descriptions only' })
}).openapi('BoardDocUpdate')

export const boardDocRoutes = {
  boardDoc: createRoute({
    method: 'get',
    path: '/api/v1/boards/{board}/doc',
    summary: "The board's Yjs document as an update, from a state vector on",
    request: { params: BoardParamSchema, query: DocQuerySchema },
    responses: { 200: json(DocStateSchema, 'the update'), ...problems(400, 401, 403, 404) }
  }),
  pushBoardDoc: createRoute({
    method: 'post',
    path: '/api/v1/boards/{board}/doc',
    summary: "Apply a page's description edits (a Yjs update) as this node's signed board/update entry",
    request: { params: BoardParamSchema, body: body(DocUpdateSchema) },
    responses: { 200: json(z.object({ applied: z.literal(true) }), 'applied and signed'), ...problems(400, 401, 403, 404) }
  })
}

export type BoardDocState = z.infer<typeof DocStateSchema>
