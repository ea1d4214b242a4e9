import { readFileSync } from 'node:fs'
import { Command, CommanderError } from 'commander'
import { registerBoard, registerJoin } from './commands/board.js'
import { registerBoardTransfer } from './commands/board-transfer.js'
import { registerContrib } from './commands/contrib.js'
import { registerDispute } from './commands/dispute.js'
import { registerShares } from './commands/shares.js'
import { registerSession } from './commands/session.js'
import { registerDaemon } from './commands/daemon.js'
import { registerDoctor } from './commands/doctor.js'
import { registerFederation } from './commands/federation.js'
import { registerInbox } from './commands/inbox.js'
import { registerInit } from './commands/init.js'
import { registerMarket } from './commands/market.js'
import { registerInvites } from './commands/invites.js'
import { registerInvite, registerOrg } from './commands/org.js'
import { registerAlias, registerProfile } from './commands/profile.js'
import { registerConnect, registerPeers } from './commands/peers.js'
import { registerSpace } from './commands/space.js'
import { registerId, registerStatus } from './commands/status.js'
import { registerTask } from './commands/task.js'
import { exitCodeFor } from './errors.js'
import { resolveIds } from './resolve.js'
import { ExitCode } from './exit-codes.js'
import { createOutput } from './output.js'

function version (): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

/** The `mutual` command tree. Commander never exits the process itself: `main` decides the code. */
export function createProgram (): Command {
  const program = new Command('mutual')
    .description('Mutual: a peer-to-peer network for task-driven collaboration')
    .version(version(), '-V, --version')
    .option('--home <dir>', 'data directory (default: $MUTUAL_HOME, else the platform data dir)')
    .option('--json', 'print data as JSON on stdout (messages stay on stderr)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    // Every id argument takes a prefix or a name: resolved by the daemon before the action runs.
    .hook('preAction', async (_program, command) => { await resolveIds(command) })
  registerInit(program)
  registerDaemon(program)
  registerStatus(program)
  registerId(program)
  registerPeers(program)
  registerConnect(program)
  registerDoctor(program)
  registerSpace(program)
  registerBoard(program)
  registerBoardTransfer(program)
  registerTask(program)
  registerJoin(program)
  registerInvites(program, registerInvite(program))
  registerContrib(program)
  registerDispute(program)
  registerShares(program)
  registerOrg(program)
  registerFederation(program)
  registerMarket(program)
  registerProfile(program)
  registerAlias(program)
  registerSession(program)
  registerInbox(program)
  return program
}

/** Runs the CLI with `argv` (as in `process.argv`) and resolves to the exit code (see exit-codes.ts). */
export async function main (argv: string[]): Promise<number> {
  const program = createProgram()
  try {
    await program.parseAsync(argv)
    return ExitCode.Ok
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed its message or the help; help and --version exit 0.
      return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage
    }
    const error = err instanceof Error ? err : new Error(String(err))
    const code = exitCodeFor(error)
    const out = createOutput({ json: program.opts().json === true })
    out.error(error, code)
    if (code === ExitCode.Failure && process.env.MUTUAL_DEBUG !== undefined) out.message(error.stack ?? '')
    return code
  }
}
