/**
 * The daemon's HTTP API contract: every route's method, path and request and response schemas
 * (zod), and the types inferred from them. The daemon serves these routes and generates its
 * OpenAPI document from them; `@mutual/client` takes its types from here (as types only), so a
 * wire shape has exactly one definition.
 */
import { boardDocRoutes } from './board-doc.js'
import { boardRoutes } from './boards.js'
import { boardTransferRoutes } from './board-transfer.js'
import { inboxRoutes } from './inbox.js'
import { inviteRoutes } from './invites.js'
import { ledgerRoutes } from './ledger.js'
import { marketRoutes } from './markets.js'
import { nameRoutes } from './names.js'
import { nodeRoutes } from './node.js'
import { orgRoutes } from './orgs.js'
import { sessionRoutes } from './session.js'
import { spaceRoutes } from './spaces.js'

export const routes = {
  ...nodeRoutes,
  ...spaceRoutes,
  ...boardRoutes,
  ...inviteRoutes,
  ...orgRoutes,
  ...marketRoutes,
  ...ledgerRoutes,
  ...nameRoutes,
  ...sessionRoutes,
  ...boardDocRoutes,
  ...boardTransferRoutes,
  ...inboxRoutes
}

export type Routes = typeof routes
export type RouteName = keyof Routes

export { probeRoutes } from './node.js'
export * from './common.js'
export type * from './node.js'
export type * from './spaces.js'
export type * from './boards.js'
export type * from './invites.js'
export type * from './orgs.js'
export type * from './markets.js'
export type * from './ledger.js'
export type * from './names.js'
export { NAME_KINDS } from './names.js'
export type * from './session.js'
export type * from './board-doc.js'
export type * from './board-transfer.js'
export type * from './inbox.js'
export { INBOX_KINDS, MAX_INBOX_LIMIT } from './inbox.js'
export { MAX_INVITE_SECONDS, MAX_INVITE_USES, INVITE_KINDS, INVITE_STATUSES } from './invites.js'
