import { boardCsv, readImportCsv, type BoardReplica } from '@mutual/board'
import type { Log } from '@mutual/log'
import type { BoardCsv, BoardExport, ImportResult } from '../contract/index.js'
import type { Boards } from './board-replicas.js'
import { historyJson, tasksJson } from './board-json.js'

export interface BoardTransferInit {
  log: Log
  replicas: Boards
}

/**
 * A board's tasks out of Mutual and into it: the export as JSON (with every task's history) or
 * CSV, and the import of the CSV files other tools export (the board package's `readImportCsv`
 * reads them). An import is one edit of this node's, so its tasks arrive on other nodes together.
 */
export class BoardTransferService {
  private readonly init: BoardTransferInit

  constructor (init: BoardTransferInit) {
    this.init = init
  }

  async exportJson (board: string): Promise<BoardExport> {
    const replica = await this.init.replicas.open(board)
    const histories = await replica.histories()
    const claims = replica.claims()
    return {
      v: 1,
      board: replica.space,
      name: this.nameOf(replica),
      exportedAt: new Date().toISOString(),
      workflow: replica.board.workflow(),
      tasks: tasksJson(replica).map((t) => ({
        ...t,
        claimants: (claims.get(t.id)?.claimants ?? []).map((c) => c.author),
        history: (histories.get(t.id) ?? []).map(historyJson)
      }))
    }
  }

  async exportCsv (board: string): Promise<BoardCsv> {
    const replica = await this.init.replicas.open(board)
    const tasks = tasksJson(replica)
    return { board: replica.space, name: this.nameOf(replica), rows: tasks.length, csv: boardCsv(tasks) }
  }

  /**
   * Adds each good row as a task in one edit, once the whole file has been read: a file that is
   * not CSV throws before anything is written. A row the board refuses as it is added (a WIP
   * limit reached) is refused by line like a malformed one.
   */
  async importCsv (board: string, csv: string): Promise<ImportResult> {
    const { replicas } = this.init
    const replica = await replicas.open(board)
    await replicas.assertWritable(replica)
    const read = readImportCsv(csv, replica.board.workflow())
    const imported: ImportResult['imported'] = []
    const refused = [...read.refused]
    replica.edit((b) => {
      for (const row of read.rows) {
        try {
          const id = b.addTask(row.task)
          imported.push({ line: row.line, id, title: row.task.title, status: b.task(id)?.status ?? '' })
        } catch (err) {
          const name = (err as Error).name
          if (name !== 'WipLimitError' && name !== 'TransitionError' && name !== 'InvalidTaskError') throw err
          refused.push({ line: row.line, reason: (err as Error).message })
        }
      }
    })
    await replica.flush()
    return { board: replica.space, imported, refused: refused.sort((a, b) => a.line - b.line), columns: read.columns }
  }

  private nameOf (replica: BoardReplica): string {
    // A board made as a granted space may carry its name only in its genesis.
    return replica.board.name() !== '' ? replica.board.name() : this.init.log.genesis(replica.space)?.entry.body.name ?? ''
  }
}
