import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  resolve: {
    // Tests run against each package's TypeScript source, not its build.
    alias: [
      { find: /^@mutual\/daemon\/contract$/, replacement: `${root}packages/daemon/src/contract.ts` },
      { find: /^@mutual\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` }
    ]
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Any unhandled rejection or uncaught exception fails the run (vitest's default; stated here on purpose).
    dangerouslyIgnoreUnhandledErrors: false
  }
})
