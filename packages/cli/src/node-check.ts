/**
 * The runtime check `bin.ts` makes before it loads anything else: libp2p 3 and the code below it
 * need Node.js 22 (`Promise.withResolvers` and more), and on an
 * older Node they fail deep inside with an error that names none of this. No imports here: this
 * module must load on any Node.js.
 */
export const MIN_NODE_MAJOR = 22

export const NODE_TOO_OLD = 'Mutual needs Node.js 22 or later; `npx --yes pnpm@10 mutual …` brings its own'

/** The message to print for a Node.js `version` (`process.versions.node`) too old to run Mutual, else undefined. */
export function nodeVersionProblem (version: string): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1])
  if (Number.isInteger(major) && major >= MIN_NODE_MAJOR) return undefined
  return `${NODE_TOO_OLD} (this is Node.js ${version})`
}
