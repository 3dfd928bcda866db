import type { RegoVersion } from '../ast/ast.ts'

/** Keywords in every Rego version. */
export const BASE_KEYWORDS: ReadonlySet<string> = new Set([
  'package',
  'import',
  'as',
  'default',
  'else',
  'not',
  'some',
  'with',
  'null',
  'true',
  'false',
])

/** Keywords that v0 enables through `import future.keywords[.x]` and v1 always has. */
export const FUTURE_KEYWORDS: readonly string[] = ['contains', 'every', 'if', 'in']

export function keywordsFor(version: RegoVersion): Set<string> {
  const set = new Set(BASE_KEYWORDS)
  if (version === 1) for (const kw of FUTURE_KEYWORDS) set.add(kw)
  return set
}

export function isKeywordInVersion(word: string, version: RegoVersion): boolean {
  return BASE_KEYWORDS.has(word) || (version === 1 && FUTURE_KEYWORDS.includes(word))
}
