import { InvalidArgumentError, type Command } from 'commander'
import { parseCid } from '@mutual/protocol'
import type { Body, Org } from '@mutual/client'
import { contextFromArgs } from '../context.js'
import { named, plural, shortId, type Names } from '../format.js'
import { showNamed } from '../names.js'
import { fields, table, type Style } from '../output.js'
import { durationSeconds, identityId, integer, jsonValue, orgId, refs } from './args.js'

/** An entry id (a proposal, an announcement): a CID. A malformed one is a usage error (exit 2). */
export function spaceArg (what: string): (text: string) => string {
  return (text) => {
    if (parseCid(text) === undefined) throw new InvalidArgumentError(`"${text}" is not ${what}`)
    return text
  }
}


function renderMembers (style: Style, org: Org, names: Names): string {
  return table(style, ['MEMBER', 'ROLES', 'KIND', 'STATUS'], org.members.map((m) => [
    named(names, m.id, m.id), m.roles.join(','), m.kind, m.revoked ? 'revoked' : m.expires !== undefined ? `until ${new Date(m.expires).toISOString()}` : 'live'
  ]))
}

function renderOrg (style: Style, org: Org, names: Names): string {
  const head = fields(style, [
    ['org', org.org],
    ['name', org.name],
    ['admins', org.admins.filter((a) => !a.removed).map((a) => named(names, a.id, a.id))],
    ['threshold', `${org.threshold.admins} admin(s)${org.threshold.unionRep ? ' + union rep' : ''}`],
    ['policy', org.policies.length === 0 ? 'none' : `v${org.policies[org.policies.length - 1].version} ${JSON.stringify(org.policies[org.policies.length - 1].policy)}`],
    ['delegations', String(org.delegations.length)]
  ])
  const proposals = org.proposals.length === 0
    ? ''
    : '\n\nopen proposals:\n' + table(style, ['PROPOSAL', 'BY', 'CHANGE', 'APPROVALS'], org.proposals.map((p) => [
      p.id, named(names, p.author), JSON.stringify(p.change).slice(0, 60), String(p.approvals.length)
    ]))
  return `${head}\n\n${renderMembers(style, org, names)}${proposals}`
}

export function registerOrg (program: Command): void {
  const org = program.command('org').description('organizations: members, credentials, revocations, value policy')

  org.command('create')
    .description('create an organization (this node is its founder and first admin); prints its id')
    .argument('<name>', 'the organization\'s name')
    .action(async (name: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('createOrg', { body: { name } }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message(`created organization "${name}"; add members with \`mutual org grant ${result.org} <member> --role member\``)
      ctx.out.result(result, () => result.org)
    })

  org.command('list')
    .description('list the organizations this node holds')
    .action(async (...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('listOrgs', {}, { signal: ctx.signal })
      ctx.out.result(result, (style) => table(style, ['ORG', 'NAME', 'MEMBERS', 'MY ROLES'], result.orgs.map((o) => [o.org, o.name, String(o.members), o.roles.join(',')])))
    })

  org.command('show')
    .description('show an organization: admins, threshold, policy, members, open proposals')
    .argument('<org>', 'the org: id, id prefix or name', orgId)
    .action(async (id: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('org', { params: { org: id } }, { signal: ctx.signal })
      await showNamed(ctx, client, result, (style, names) => renderOrg(style, result, names))
    })

  org.command('members')
    .description('list an organization\'s members and their roles')
    .argument('<org>', 'the org: id, id prefix or name', orgId)
    .action(async (id: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('org', { params: { org: id } }, { signal: ctx.signal })
      await showNamed(ctx, client, { members: result.members }, (style, names) => renderMembers(style, result, names))
    })

  org.command('grant')
    .description('issue a credential to a member (admins only)')
    .argument('<org>', 'the org: id, id prefix or name', orgId)
    .argument('<member>', 'the member: identity id, prefix or name', identityId)
    .requiredOption('--role <role>', 'a role: member, reviewer, union-rep, auditor, consumer, observer, agent (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--expires <ms>', 'expiry, ms since the epoch', (v: string) => {
      const n = Number(v)
      if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected ms since the epoch')
      return n
    })
    .option('--kind <kind>', 'person, agent or organization (default person)')
    .action(async (id: string, member: string, options: { role: string[], expires?: number, kind?: string }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('issueCredential', {
        params: { org: id },
        body: { member, roles: options.role, expires: options.expires, kind: options.kind as Body<'issueCredential'>['kind'] }
      }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message(`granted ${options.role.join(', ')} to ${shortId(member)}`)
      ctx.out.result(result, () => result.id)
    })

  org.command('revoke')
    .description('revoke a member\'s credentials (admins only); their later entries stop counting everywhere')
    .argument('<org>', 'the org: id, id prefix or name', orgId)
    .argument('<member>', 'the member (identity id, prefix or name), or a credential id', identityId)
    .requiredOption('--reason <text>', 'why (signed and kept)')
    .action(async (id: string, member: string, options: { reason: string }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('revoke', { params: { org: id }, body: { member, reason: options.reason } }, { signal: ctx.signal })
      if (!ctx.out.json) {
        ctx.out.message(result.frozen.length === 0
          ? `revoked ${shortId(member)}: they wrote in no space of the org held here; any later entry of theirs is refused`
          : `revoked ${shortId(member)}; cut off in ${plural(result.frozen.length, 'space')}: ${result.frozen.map((f) => `${f.kind} "${f.name}" after seq ${f.atSeq}`).join(', ')}`)
      }
      ctx.out.result(result, () => result.revocations.map((r) => r.id).join('\n'))
    })

  org.command('ledger')
    .description("create the organization's contribution ledger (readable by its members only); prints its id")
    .argument('<org>', 'the org: id, id prefix or name', orgId)
    .action(async (id: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('createOrgLedger', { params: { org: id } }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message('created the ledger; members record work with `mutual contrib record`')
      ctx.out.result(result, () => result.ledger)
    })

  org.command('spaces')
    .description("the organization's boards, ledger and markets, and this node's sync state of each (followed by itself)")
    .argument('<org>', 'the org: id, id prefix or name', orgId)
    .action(async (id: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('orgSpaces', { params: { org: id } }, { signal: ctx.signal })
      if (!ctx.out.json && result.spaces.length === 0) {
        ctx.out.message('no spaces announced in this org yet (make one with `mutual board create <name> --org <org>`)')
        return
      }
      await showNamed(ctx, client, result, (style, names) => table(style, ['SPACE', 'KIND', 'NAME', 'SYNC', 'ENTRIES', 'BY'], result.spaces.map((s) => [
        s.space, s.kind, s.name, !s.readable ? style.dim('not readable') : s.held ? style.green(s.joined ? 'following' : 'held') : style.yellow(s.joined ? 'arriving' : 'not followed'), String(s.entries), named(names, s.by)
      ])))
    })

  org.command('space')
    .description('create a space (a board by default) whose writers are granted by organizations or federations; prints its id')
    .argument('<name>', 'its name')
    .option('--org <org>', 'grant an organization\'s members (repeatable)', refs('org'))
    .option('--federation <federation>', 'grant a federation\'s members (repeatable)', refs('federation'))
    .option('--role <role>', 'a granted role (repeatable; default member)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--kind <kind>', 'board, market, ledger or raw (default board)')
    .option('--private', 'only credential holders may read it: bodies encrypted, keys sealed to each reader and rotated when one is revoked; sync sends it to no one else')
    .action(async (name: string, options: { org?: string[], federation?: string[], role?: string[], kind?: string, private?: boolean }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const roles = options.role ?? ['member']
      const grants = [...(options.org ?? []).map((o) => ({ org: o, roles })), ...(options.federation ?? []).map((f) => ({ federation: f, roles }))]
      if (grants.length === 0) throw new InvalidArgumentError('name at least one --org or --federation')
      const client = await ctx.client()
      const result = await client.call('createGrantedSpace', {
        body: { name, kind: options.kind as Body<'createGrantedSpace'>['kind'], grants, read: options.private === true ? 'grants' : 'public' }
      }, { signal: ctx.signal })
      ctx.out.result(result, () => result.space)
    })

  const policy = org.command('policy').description('the value policy: propose a change, approve one')
  policy.command('propose')
    .description('propose a value policy (JSON); prints the proposal id')
    .argument('<org>', 'the org: id, id prefix or name', orgId)
    .argument('<policy>', 'the policy as a JSON object', jsonValue)
    .action(async (id: string, value: unknown, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('propose', { params: { org: id }, body: { change: { kind: 'policy', policy: value } } }, { signal: ctx.signal })
      if (!ctx.out.json) ctx.out.message('proposed; approvers run `mutual org policy approve <org> <proposal>`')
      ctx.out.result(result, () => result.id)
    })
  policy.command('approve')
    .description('approve a proposal (as admin or union representative); enacts it once the threshold is met')
    .argument('<org>', 'the org: id, id prefix or name', orgId)
    .argument('<proposal>', 'the proposal id', spaceArg('a proposal id'))
    .action(async (id: string, proposal: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('approve', { params: { org: id, id: proposal } }, { signal: ctx.signal })
      ctx.out.result(result, () => `${result.approval.id}${result.enacted ? ' (enacted)' : ' (awaiting more approvals)'}`)
    })
  policy.command('show')
    .description('the value policy versions in force')
    .argument('<org>', 'the org: id, id prefix or name', orgId)
    .action(async (id: string, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('org', { params: { org: id } }, { signal: ctx.signal })
      ctx.out.result({ policies: result.policies, proposals: result.proposals }, (style) => table(style, ['VERSION', 'POLICY', 'ENACTED BY'],
        result.policies.map((p) => [String(p.version), JSON.stringify(p.policy), p.enactedBy])))
    })
}

const INVITE_ROLES = ['member', 'reviewer', 'union-rep', 'auditor', 'consumer', 'observer', 'agent']

/** `--roles member,reviewer`: credential roles (admin is never invited). */
function rolesArg (text: string): string[] {
  const roles = text.split(',').map((r) => r.trim()).filter((r) => r !== '')
  const bad = roles.find((r) => !INVITE_ROLES.includes(r))
  if (roles.length === 0 || bad !== undefined) throw new InvalidArgumentError(`roles are some of ${INVITE_ROLES.join(', ')}${bad !== undefined ? ` (not ${bad})` : ''}`)
  return [...new Set(roles)]
}

/** `mutual invite <org>`: a ticket that redeems a credential of the org (this node must be its admin). */
/** `mutual invite <org>`; returns the command, so `invite revoke` can hang under it. */
export function registerInvite (program: Command): Command {
  return program
    .command('invite')
    .description('invite someone into an organization; prints a ticket for `mutual join` (an admin only)')
    .argument('<org>', 'the org: id, id prefix or name', orgId)
    .option('--roles <roles>', 'the credential\'s roles, comma-separated (default member)', rolesArg)
    .option('--expires <duration>', 'how long the ticket works, e.g. 30m, 2h, 7d (default 7d)', durationSeconds)
    .option('--uses <n>', 'how many people may join with it (default 1)', integer(1, 10_000))
    .action(async (id: string, options: { roles?: string[], expires?: number, uses?: number }, ...args: unknown[]) => {
      const ctx = contextFromArgs(args)
      const client = await ctx.client()
      const result = await client.call('createOrgInvite', {
        params: { org: id },
        body: { roles: options.roles as Body<'createOrgInvite'>['roles'], expiresInSeconds: options.expires, uses: options.uses }
      }, { signal: ctx.signal })
      if (!ctx.out.json) {
        ctx.out.message(`invite ${result.id}: ${result.uses} use${result.uses === 1 ? '' : 's'}, expires ${result.expires}; the invitee runs \`mutual join <ticket>\``)
      }
      ctx.out.result(result, () => result.ticket)
    })
}
