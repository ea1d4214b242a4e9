import { describe, expect, expectTypeOf, it } from 'vitest'
import type { z } from 'zod'
import { ROUTES, routePath, type Input, type Output } from '@mutual/client'
import { routes, type BoardDetailSchema, type ClaimResultSchema, type NewTaskSchema, type SharesSchema, type TaskSchema } from '@mutual/daemon/contract'

/**
 * The client follows the daemon's contract: its route table matches every route's method and
 * path, and its types are the schemas' (tsc checks the type assertions; a schema change the client
 * does not follow fails the typecheck).
 */
describe('the client and the API contract', () => {
  it('knows every route of the contract, with its method and path', () => {
    expect(Object.keys(ROUTES).sort()).toEqual(Object.keys(routes).sort())
    for (const [name, [method, path]] of Object.entries(ROUTES)) {
      const route = routes[name as keyof typeof routes]
      expect([route.method, route.path], name).toEqual([method, path])
    }
  })

  it('takes its types from the schemas', () => {
    expectTypeOf<Output<'addTask'>>().toEqualTypeOf<z.output<typeof TaskSchema>>()
    expectTypeOf<Output<'board'>>().toEqualTypeOf<z.output<typeof BoardDetailSchema>>()
    expectTypeOf<Output<'claimTask'>>().toEqualTypeOf<z.output<typeof ClaimResultSchema>>()
    expectTypeOf<Output<'shares'>>().toEqualTypeOf<z.output<typeof SharesSchema>>()
    expectTypeOf<Input<'addTask'>['body']>().toEqualTypeOf<z.input<typeof NewTaskSchema>>()
    expectTypeOf<Input<'addTask'>['params']>().toEqualTypeOf<{ board: string }>()
  })

  it('fills path parameters as encoded segments, and names a missing one', () => {
    expect(routePath('/api/v1/boards/{board}/tasks/{task}', { board: 'b1', task: 'a/b c' })).toBe('/api/v1/boards/b1/tasks/a%2Fb%20c')
    expect(() => routePath('/api/v1/boards/{board}', {})).toThrow(expect.objectContaining({ name: 'ClientUsageError' }))
  })
})
