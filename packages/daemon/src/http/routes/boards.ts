import type { OpenAPIHono } from '@hono/zod-openapi'
import { routes } from '../../contract/index.js'
import type { HttpContext } from '../context.js'

export function boardRoutes (app: OpenAPIHono, ctx: HttpContext): void {
  const { boards } = ctx.services
  app.openapi(routes.createBoard, async (c) => c.json(await boards.create(c.req.valid('json')), 201))
  app.openapi(routes.listBoards, (c) => c.json({ boards: boards.list() }, 200))
  app.openapi(routes.board, async (c) => c.json(await boards.detail(c.req.valid('param').board), 200))
  app.openapi(routes.removeWriter, async (c) => {
    const { board, writer } = c.req.valid('param')
    return c.json(await boards.removeWriter(board, writer), 200)
  })
  app.openapi(routes.setWorkflow, async (c) => c.json(await boards.setWorkflow(c.req.valid('param').board, c.req.valid('json')), 200))
  app.openapi(routes.changeWorkflow, async (c) => c.json(await boards.changeWorkflow(c.req.valid('param').board, c.req.valid('json')), 200))
}

export function taskRoutes (app: OpenAPIHono, ctx: HttpContext): void {
  const { boards } = ctx.services
  app.openapi(routes.addTask, async (c) => c.json(await boards.addTask(c.req.valid('param').board, c.req.valid('json')), 201))
  app.openapi(routes.myTasks, (c) => c.json({ tasks: boards.myTasks(c.req.valid('query')) }, 200))
  app.openapi(routes.assignTask, async (c) => {
    const { board, task } = c.req.valid('param')
    return c.json(await boards.assign(board, task, c.req.valid('json').assignee), 200)
  })
  app.openapi(routes.listTasks, async (c) => c.json({ tasks: await boards.tasks(c.req.valid('param').board, c.req.valid('query')) }, 200))
  app.openapi(routes.task, async (c) => {
    const { board, task } = c.req.valid('param')
    return c.json(await boards.task(board, task), 200)
  })
  app.openapi(routes.editTask, async (c) => {
    const { board, task } = c.req.valid('param')
    return c.json(await boards.editTask(board, task, c.req.valid('json')), 200)
  })
  app.openapi(routes.moveTask, async (c) => {
    const { board, task } = c.req.valid('param')
    return c.json(await boards.moveTask(board, task, c.req.valid('json')), 200)
  })
  app.openapi(routes.deleteTask, async (c) => {
    const { board, task } = c.req.valid('param')
    return c.json(await boards.deleteTask(board, task), 200)
  })
  app.openapi(routes.claimTask, async (c) => {
    const { board, task } = c.req.valid('param')
    return c.json(await boards.claim(board, task, 'claim'), 200)
  })
  app.openapi(routes.releaseTask, async (c) => {
    const { board, task } = c.req.valid('param')
    return c.json(await boards.claim(board, task, 'release'), 200)
  })
  app.openapi(routes.comment, async (c) => {
    const { board, task } = c.req.valid('param')
    return c.json(await boards.comment(board, task, c.req.valid('json').text), 201)
  })
  app.openapi(routes.depend, async (c) => {
    const { board, task } = c.req.valid('param')
    return c.json(await boards.depend(board, task, c.req.valid('json').on), 200)
  })
  app.openapi(routes.undepend, async (c) => {
    const { board, task, on } = c.req.valid('param')
    return c.json(await boards.undepend(board, task, on), 200)
  })
}
