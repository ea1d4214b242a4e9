import { spawnSync } from 'node:child_process'

/**
 * A small internet of Linux network namespaces for tests that need peers at distinct public
 * addresses (AutoNAT counts a verdict once per network, by first octet): one bridge namespace and
 * a namespace per host, each joined to the bridge by a veth pair, every address on one link. The
 * namespaces have no route out of the machine, so the public-looking addresses never leave it.
 * Needs root and iproute2 (`ip`); firewall rules need nftables (`nft`).
 */
export interface Internet {
  /** the namespace of `host` (for `ip netns exec`) */
  ns: (host: string) => string
  /** adds a host with these IPv4 addresses; the first is its source address */
  host: (name: string, addresses: string[]) => void
  /** loads an nftables ruleset into a host's namespace */
  firewall: (host: string, ruleset: string) => void
  /** kills every process left in the namespaces and deletes them; safe to call twice */
  remove: () => void
}

function run (args: string[], input?: string): string {
  const [command, ...rest] = args
  const result = spawnSync(command, rest, { encoding: 'utf8', input })
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(`${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr}` +
      '\nthe network namespace tests need root, iproute2 (ip) and nftables (nft)')
  }
  return result.stdout
}

/** Namespaces of a test run that died before removing them: their owner's pid is gone. */
function removeAbandoned (prefix: string): void {
  for (const line of run(['ip', 'netns', 'list']).split('\n')) {
    const name = line.split(' ')[0]
    const owner = new RegExp(`^${prefix}(\\d+)-`).exec(name)?.[1]
    if (owner === undefined) continue
    try {
      process.kill(Number(owner), 0)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err
      deleteNamespace(name)
    }
  }
}

function deleteNamespace (name: string): void {
  const pids = spawnSync('ip', ['netns', 'pids', name], { encoding: 'utf8' }).stdout.split('\n').filter((p) => p !== '')
  for (const pid of pids) process.kill(Number(pid), 'SIGKILL')
  spawnSync('ip', ['netns', 'del', name])
}

const PREFIX = 'mutual'

export function internet (): Internet {
  removeAbandoned(PREFIX)
  const tag = `${PREFIX}${process.pid}`
  const names: string[] = []
  const ns = (host: string): string => `${tag}-${host}`
  const add = (name: string): string => {
    run(['ip', 'netns', 'add', name])
    names.push(name)
    run(['ip', '-n', name, 'link', 'set', 'lo', 'up'])
    return name
  }
  const hub = add(ns('hub'))
  run(['ip', '-n', hub, 'link', 'add', 'br0', 'type', 'bridge'])
  run(['ip', '-n', hub, 'link', 'set', 'br0', 'up'])
  let hosts = 0
  let removed = false
  return {
    ns,
    host (name, addresses) {
      const space = add(ns(name))
      const port = `p${hosts++}`
      // Created in the hub, one end moved into the host and named eth0 there.
      run(['ip', '-n', hub, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', space])
      run(['ip', '-n', hub, 'link', 'set', port, 'master', 'br0', 'up'])
      run(['ip', '-n', space, 'link', 'set', 'eth0', 'up'])
      for (const a of addresses) run(['ip', '-n', space, 'addr', 'add', `${a}/32`, 'dev', 'eth0'])
      // Every other host is on the link: no router, no address plan beyond the hosts' own.
      run(['ip', '-n', space, 'route', 'add', 'default', 'dev', 'eth0', 'src', addresses[0]])
    },
    firewall (host, ruleset) {
      run(['ip', 'netns', 'exec', ns(host), 'nft', '-f', '-'], ruleset)
    },
    remove () {
      if (removed) return
      removed = true
      for (const name of names.reverse()) deleteNamespace(name)
    }
  }
}
