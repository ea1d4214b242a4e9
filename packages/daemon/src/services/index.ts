import type { BoardDocService } from './board-doc.js'
import type { BoardMarkets } from './board-market.js'
import type { Boards } from './board-replicas.js'
import type { BoardService } from './boards.js'
import type { BoardTransferService } from './board-transfer.js'
import type { InboxService } from './inbox.js'
import type { Invites } from './invites.js'
import type { JoinComponents } from './join.js'
import type { LedgerService } from './ledger.js'
import type { MarketService } from './market.js'
import type { NameService } from './names.js'
import type { NodeService } from './node-service.js'
import type { OrgService } from './orgs.js'
import type { Sessions } from './sessions.js'
import type { SpaceService } from './spaces.js'

/**
 * The daemon's services: what users can do, over the node and the domain packages, knowing
 * nothing of HTTP. The composition root (`daemon.ts`) makes them; the HTTP layer calls them.
 */
export interface Services {
  node: NodeService
  spaces: SpaceService
  boards: BoardService
  /** a running replica per board held */
  replicas: Boards
  orgs: OrgService
  market: MarketService
  /** the markets boards announce their ready tasks to */
  boardMarkets: BoardMarkets
  ledger: LedgerService
  invites: Invites
  /** profiles, aliases, names for ids and ids for names */
  names: NameService
  /** what joining with a ticket needs */
  joining: JoinComponents
  /** a web page's live replica of a board */
  boardDoc: BoardDocService
  /** a board's export and the import of CSV files */
  boardTransfer: BoardTransferService
  /** browser sessions of the web UI */
  sessions: Sessions
  /** what needs this node's person, with local read marks */
  inbox: InboxService
}

export { NodeService } from './node-service.js'
export { SpaceService } from './spaces.js'
export { BoardService } from './boards.js'
export { BoardTransferService } from './board-transfer.js'
export { OrgService } from './orgs.js'
export { MarketService } from './market.js'
export { BoardMarkets } from './board-market.js'
export { Handovers } from './handovers.js'
export { LedgerService, ledgerParticipants } from './ledger.js'
export { Invites } from './invites.js'
export { NameService } from './names.js'
export { join } from './join.js'
export { BoardDocService } from './board-doc.js'
export { Sessions } from './sessions.js'
export { InboxService } from './inbox.js'
