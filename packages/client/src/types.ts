import type { RouteName, Routes } from '@mutual/daemon/contract'
import type { z } from 'zod'

/** What a request of a route takes and a success of it gives, inferred from the contract's schemas. */

type Schema<T> = T extends z.ZodType ? T : never
type JsonSchema<T> = T extends { content: { 'application/json': { schema: infer S } } } ? Schema<S> : never

type Request<N extends RouteName> = Routes[N] extends { request: infer R } ? R : Record<never, never>

export type Params<N extends RouteName> = Request<N> extends { params: infer P } ? z.input<Schema<P>> : undefined
export type Query<N extends RouteName> = Request<N> extends { query: infer Q } ? z.input<Schema<Q>> : undefined
export type Body<N extends RouteName> = Request<N> extends { body: infer B } ? z.input<JsonSchema<B>> : undefined

type SuccessCode = 200 | 201 | 202
/** The JSON a route answers with on success. */
export type Output<N extends RouteName> = Routes[N] extends { responses: infer Rs }
  ? { [C in keyof Rs]: C extends SuccessCode ? z.output<JsonSchema<Rs[C]>> : never }[keyof Rs]
  : never

type Part<K extends string, T> = [T] extends [undefined] ? { [P in K]?: undefined } : { [P in K]: T }
type OptionalPart<K extends string, T> = [T] extends [undefined] ? { [P in K]?: undefined } : { [P in K]?: T }

/** A call's input: path parameters and a body where the route has them, a query always optional. */
export type Input<N extends RouteName> = Part<'params', Params<N>> & OptionalPart<'query', Query<N>> &
  (Request<N> extends { body: { required: false } } ? OptionalPart<'body', Body<N>> : Part<'body', Body<N>>)
