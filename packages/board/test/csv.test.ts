import { describe, expect, it } from 'vitest'
import { boardCsv, defaultWorkflow, readImportCsv, type Task } from '../src/index.js'

const wf = defaultWorkflow()

describe('readImportCsv', () => {
  it('reads Trello, Jira and GitHub headers in any case', () => {
    const trello = readImportCsv('Card Name,Card Description,List Name,Labels,Due Date\nSpec,"two\nlines",Doing,"docs, urgent",2026-12-01\n', wf)
    expect(trello.refused).toEqual([])
    expect(trello.rows).toEqual([{ line: 3, task: { title: 'Spec', description: 'two\nlines', status: 'doing', labels: ['docs', 'urgent'], due: '2026-12-01' } }])
    const jira = readImportCsv('Summary,Status,Story Points,Labels,Labels\nLogin,REVIEW,5,auth,web\n', wf)
    expect(jira.rows[0].task).toEqual({ title: 'Login', status: 'review', estimate: 5, labels: ['auth', 'web'] })
    const github = readImportCsv('title,body,state,labels\nCrash on start,steps,to do,bug\n', wf)
    expect(github.rows[0].task).toMatchObject({ title: 'Crash on start', description: 'steps', status: 'todo', labels: ['bug'] })
    expect(github.columns).toMatchObject({ title: 'title', description: 'body', status: 'state', estimate: null })
  })

  it('refuses bad rows by line and takes the others', () => {
    const text = [
      'title,status,estimate,due',
      'good one,todo,3,',
      'unknown state,blocked,1,',
      'bad estimate,todo,lots,',
      ',todo,1,',
      'bad date,todo,1,tomorrow',
      'too,many,fields,here,extra',
      'good two,Done,,2026-01-31'
    ].join('\n')
    const result = readImportCsv(text, wf)
    expect(result.rows.map((r) => [r.line, r.task.title])).toEqual([[2, 'good one'], [8, 'good two']])
    expect(result.refused.map((r) => r.line)).toEqual([3, 4, 5, 6, 7])
    expect(result.refused[0].reason).toMatch(/unknown status "blocked"/)
    expect(result.refused[1].reason).toMatch(/bad estimate/)
    expect(result.refused[2].reason).toBe('no title')
    expect(result.refused[3].reason).toMatch(/bad date/)
    expect(result.refused[4].reason).toMatch(/5 fields where the header has 4/)
  })

  it('refuses a file that is not CSV, has no title column or is too large', () => {
    expect(() => readImportCsv('title,status\n"never closed,todo\nnext,todo\n', wf)).toThrow(expect.objectContaining({ name: 'InvalidCsvError' }))
    expect(() => readImportCsv('what,status\nx,todo\n', wf)).toThrow(expect.objectContaining({ name: 'InvalidCsvError' }))
    expect(() => readImportCsv('', wf)).toThrow(expect.objectContaining({ name: 'InvalidCsvError' }))
    expect(() => readImportCsv('title\n' + 'x'.repeat(1024 * 1024), wf)).toThrow(expect.objectContaining({ name: 'ImportTooLargeError' }))
  })
})

describe('boardCsv', () => {
  it('is read back as the same titles, statuses, labels and estimates', () => {
    const task = (id: string, fields: Partial<Task & { holder: string | null }>): Task & { holder: string | null } => ({
      id, title: '', description: '', status: 'todo', rank: 'a0', estimate: 0, labels: [], dependencies: [], due: null, comments: [], createdBy: '', createdAt: '', entered: { at: '', by: '' }, holder: null, ...fields
    })
    const tasks = [
      task('a', { title: 'Quote "this", please', description: 'multi\nline', status: 'doing', estimate: 2.5, labels: ['x', 'y z'], due: '2026-12-01' }),
      task('b', { title: 'Plain', status: 'done', holder: '12D3KooWexample' })
    ]
    const back = readImportCsv(boardCsv(tasks), wf)
    expect(back.refused).toEqual([])
    expect(back.rows.map((r) => r.task)).toEqual([
      { title: 'Quote "this", please', description: 'multi\nline', status: 'doing', estimate: 2.5, labels: ['x', 'y z'], due: '2026-12-01' },
      { title: 'Plain', status: 'done', estimate: 0 }
    ])
  })
})
