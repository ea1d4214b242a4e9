/**
 * `@mutual/daemon/contract`: the HTTP API's routes and wire types (see `contract/index.ts`), for
 * clients that take them as types only.
 */
export * from './contract/index.js'
