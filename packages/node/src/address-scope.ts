/** Where an address can be reached from. */
export type AddressScope = 'loopback' | 'private' | 'public' | 'relay' | 'name'

/** Where an address can be reached from, judged from its first component. */
export function addressScope (address: string): AddressScope {
  if (address.includes('/p2p-circuit')) return 'relay'
  const match = /^\/(ip4|ip6|dns4|dns6|dns|dnsaddr)\/([^/]+)/.exec(address)
  if (match === null) return 'name'
  const [, proto, host] = match
  if (proto.startsWith('dns')) return host === 'localhost' ? 'loopback' : 'name'
  if (proto === 'ip4') {
    const [a, b] = host.split('.').map(Number)
    if (a === 127) return 'loopback'
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127) || a === 0) return 'private'
    return 'public'
  }
  const h = host.toLowerCase()
  if (h === '::1') return 'loopback'
  if (h === '::' || h.startsWith('fe80:') || h.startsWith('fc') || h.startsWith('fd')) return 'private'
  return 'public'
}

/** Addresses ordered for a dialer far away: public and named first, then relayed, private, loopback. */
export function byReach (addresses: readonly string[]): string[] {
  const reach: Record<AddressScope, number> = { public: 0, name: 0, relay: 1, private: 2, loopback: 3 }
  return [...addresses].sort((a, b) => reach[addressScope(a)] - reach[addressScope(b)])
}
