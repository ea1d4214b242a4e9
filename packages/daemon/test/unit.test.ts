import { describe, expect, it } from 'vitest'
import { BodySchemaError, CID, cidOf, encode } from '@mutual/protocol'
import { FrozenLogError, UnknownSpaceError } from '@mutual/log'
import { DialError, addressScope } from '@mutual/node'
import { ConfigError, InvalidRequestError, defaultConfig, parseApiAddress, parseConfig, problemOf, resolveHome, toJson } from '@mutual/daemon'
import { createLogger } from '../src/logger.js'
import { fromJson } from '../src/services/json.js'
import { EventHub } from '../src/events.js'
import { tokenMatches, bearerToken } from '../src/http/security.js'

describe('problems', () => {
  it('maps error names to statuses in one table', () => {
    expect(problemOf(new BodySchemaError('bad'))).toEqual({
      type: 'https://mutual.dev/problems/body-schema-error', title: 'Body schema error', status: 400, detail: 'bad', name: 'BodySchemaError'
    })
    expect(problemOf(new UnknownSpaceError('x')).status).toBe(404)
    expect(problemOf(new FrozenLogError('x')).status).toBe(403)
    expect(problemOf(new DialError('x')).status).toBe(502)
    expect(problemOf(new InvalidRequestError('x')).status).toBe(400)
    expect(problemOf(new Error('boom'))).toMatchObject({ status: 500, name: 'InternalError' })
    expect(problemOf(new TypeError('t'))).toMatchObject({ status: 500, name: 'TypeError' })
    // Board and invite errors, by name.
    const named = (name: string): Error => Object.assign(new Error('x'), { name })
    const statuses = Object.fromEntries([
      'UnknownTaskError', 'NotABoardError', 'TransitionError', 'WipLimitError', 'DependencyCycleError', 'InvalidTaskError', 'InvalidWorkflowError',
      'InvalidUpdateError', 'ReadOnlyBoardError', 'UnauthorizedError', 'InvalidTicketError', 'InviteError', 'UnknownInviteError',
      'InviteExpiredError', 'InviteUsedError', 'InviteRevokedError', 'JoinTimeoutError'
    ].map((name) => [name, problemOf(named(name)).status]))
    expect(statuses).toEqual({
      UnknownTaskError: 404, NotABoardError: 404, TransitionError: 409, WipLimitError: 409, DependencyCycleError: 409, InvalidTaskError: 400, InvalidWorkflowError: 400,
      InvalidUpdateError: 400, ReadOnlyBoardError: 403, UnauthorizedError: 403, InvalidTicketError: 400, InviteError: 400, UnknownInviteError: 404,
      InviteExpiredError: 410, InviteUsedError: 410, InviteRevokedError: 410, JoinTimeoutError: 504
    })
  })
})

describe('JSON conversion', () => {
  it('shows bytes as base64 and CIDs as strings', () => {
    const cid = cidOf(encode('x'))
    expect(toJson({ b: new Uint8Array([1, 2, 3]), c: cid, l: [cid], n: null, s: 's' })).toEqual({ b: 'AQID', c: cid.toString(), l: [cid.toString()], n: null, s: 's' })
    expect(CID.parse(toJson(cid) as string).equals(cid)).toBe(true)
  })

  it('accepts plain JSON only', () => {
    expect(fromJson(JSON.parse('{"a":[1,2.5,"x",true,null],"__proto__":{"p":1}}'))).toEqual(JSON.parse('{"a":[1,2.5,"x",true,null],"__proto__":{"p":1}}'))
    expect(Object.getPrototypeOf(fromJson(JSON.parse('{"__proto__":{"p":1}}')))).toBe(Object.prototype)
    expect(() => fromJson(2 ** 60)).toThrow(InvalidRequestError)
    expect(() => fromJson(new Date())).toThrow(InvalidRequestError)
    let deep: unknown = 1
    for (let i = 0; i < 100; i++) deep = [deep]
    expect(() => fromJson(deep)).toThrow(/deeper/)
  })

  it('reads DAG-JSON byte strings as bytes, and only those', () => {
    expect(fromJson({ update: { '/': { bytes: 'AQID' } } })).toEqual({ update: new Uint8Array([1, 2, 3]) })
    expect(fromJson({ '/': { bytes: 'AQI=' } })).toEqual(new Uint8Array([1, 2]))
    expect(fromJson({ '/': { bytes: '' } })).toEqual(new Uint8Array(0))
    expect(fromJson({ '/': { bytes: 'AQID', more: 1 } })).toEqual({ '/': { bytes: 'AQID', more: 1 } })
    expect(fromJson({ '/': 'bafy', x: 1 })).toEqual({ '/': 'bafy', x: 1 })
    expect(() => fromJson({ '/': { bytes: 'not base64!' } })).toThrow(InvalidRequestError)
  })
})

describe('config', () => {
  it('accepts the defaults and names a bad field', () => {
    expect(parseConfig('c.json', JSON.stringify(defaultConfig()))).toEqual(defaultConfig())
    expect(() => parseConfig('c.json', '{')).toThrow(ConfigError)
    const bad = (() => { try { parseConfig('c.json', JSON.stringify({ ...defaultConfig(), syncIntervalMs: -1 })) } catch (e) { return e as ConfigError } })()
    expect(bad).toMatchObject({ name: 'ConfigError', file: 'c.json', field: 'syncIntervalMs' })
    const typo = (() => { try { parseConfig('c.json', JSON.stringify({ ...defaultConfig(), mdsn: true })) } catch (e) { return e as ConfigError } })()
    expect(typo?.field).toBe('mdsn')
    const announce = ['/ip4/203.0.113.7/tcp/4001', '/dns4/seed.example.org/tcp/4001']
    expect(parseConfig('c.json', JSON.stringify({ ...defaultConfig(), announce })).announce).toEqual(announce)
    const notMultiaddr = (() => { try { parseConfig('c.json', JSON.stringify({ ...defaultConfig(), announce: [announce[0], '203.0.113.7:4001'] })) } catch (e) { return e as ConfigError } })()
    expect(notMultiaddr).toMatchObject({ name: 'ConfigError', field: 'announce.1', message: expect.stringContaining('not a multiaddr') })
  })

  it('parses API addresses', () => {
    expect(parseApiAddress('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 })
    expect(parseApiAddress('[::1]:8080')).toEqual({ host: '::1', port: 8080 })
    expect(() => parseApiAddress('127.0.0.1')).toThrow(ConfigError)
    expect(() => parseApiAddress('h:70000')).toThrow(ConfigError)
  })
})

describe('home and logger', () => {
  it('resolves the data directory: argument, then MUTUAL_HOME, then the platform default', () => {
    expect(resolveHome('/a/b', { MUTUAL_HOME: '/c' })).toBe('/a/b')
    expect(resolveHome(undefined, { MUTUAL_HOME: '/c' })).toBe('/c')
    expect(resolveHome(undefined, {})).toMatch(/mutual$/)
  })

  it('takes the log level from the caller, then MUTUAL_LOG_LEVEL, then the config', () => {
    expect(createLogger('debug', 'warn', { MUTUAL_LOG_LEVEL: 'error' }).level).toBe('debug')
    expect(createLogger(undefined, 'warn', { MUTUAL_LOG_LEVEL: 'error' }).level).toBe('error')
    expect(createLogger(undefined, 'warn', {}).level).toBe('warn')
    expect(createLogger(undefined, undefined, {}).level).toBe('info')
    expect(() => createLogger(undefined, undefined, { MUTUAL_LOG_LEVEL: 'loud' })).toThrow(ConfigError)
  })
})

describe('security helpers', () => {
  it('compares tokens of any length', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true)
    expect(tokenMatches('abd', 'abc')).toBe(false)
    expect(tokenMatches('', 'abc')).toBe(false)
    expect(bearerToken('Bearer abc')).toBe('abc')
    expect(bearerToken('bearer  abc ')).toBe('abc')
    expect(bearerToken('Basic abc')).toBeUndefined()
    expect(bearerToken(undefined)).toBeUndefined()
  })
})

describe('doctor', () => {
  it('classifies addresses', () => {
    expect(addressScope('/ip4/127.0.0.1/tcp/1')).toBe('loopback')
    expect(addressScope('/ip4/192.168.1.2/tcp/1')).toBe('private')
    expect(addressScope('/ip4/10.0.0.1/tcp/1')).toBe('private')
    expect(addressScope('/ip4/172.20.0.1/tcp/1')).toBe('private')
    expect(addressScope('/ip4/8.8.8.8/tcp/1')).toBe('public')
    expect(addressScope('/ip6/::1/tcp/1')).toBe('loopback')
    expect(addressScope('/ip6/fd00::1/tcp/1')).toBe('private')
    expect(addressScope('/ip6/2001:db8::1/tcp/1')).toBe('public')
    expect(addressScope('/ip4/8.8.8.8/tcp/1/p2p/x/p2p-circuit')).toBe('relay')
  })
})

describe('event hub', () => {
  it('numbers events and keeps the last ones for replay', () => {
    const hub = new EventHub({ bufferSize: 3 })
    for (let i = 0; i < 5; i++) hub.publish('x', { i })
    expect(hub.lastId).toBe(5)
    expect(hub.since(undefined)).toEqual([])
    expect(hub.since(3).map((e) => e.id)).toEqual([4, 5])
    expect(hub.since(0).map((e) => e.id)).toEqual([3, 4, 5]) // older ones are gone
    // an id from an earlier run of the daemon: everything buffered is new
    expect(hub.since(99).map((e) => e.id)).toEqual([3, 4, 5])
  })

  it('drops a client that stops reading', async () => {
    const hub = new EventHub({ bufferSize: 10, maxQueued: 5 })
    const stream = hub.stream(undefined)
    expect(hub.size).toBe(1)
    for (let i = 0; i < 30; i++) hub.publish('x', { i })
    expect(hub.size).toBe(0)
    // what was queued is still readable, then the stream ends
    const reader = stream.getReader()
    let chunks = 0
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks++
    expect(chunks).toBeGreaterThan(0)
    hub.close()
  })
})
