import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * Test support: `packages/protocol/fixtures/`, the same relative path from `src/<area>/` and
 * `dist/<area>/`. Not exported from the package.
 */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url))

export function readFixtureBytes(relative: string): Buffer {
  return readFileSync(new URL(relative, new URL('../fixtures/', import.meta.url)))
}

export function readFixtureText(relative: string): string {
  return readFixtureBytes(relative).toString('utf8')
}

export function readFixtureJson(relative: string): unknown {
  return JSON.parse(readFixtureText(relative)) as unknown
}
