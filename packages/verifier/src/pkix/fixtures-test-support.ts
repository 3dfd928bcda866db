import { readFileSync } from 'node:fs'

/** Bytes of a file in `packages/verifier/fixtures/pkix/` (tests only). */
export function pkixFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../fixtures/pkix/${name}`, import.meta.url)))
}

export function pkixFixtureText(name: string): string {
  return readFileSync(new URL(`../../fixtures/pkix/${name}`, import.meta.url), 'utf8')
}
