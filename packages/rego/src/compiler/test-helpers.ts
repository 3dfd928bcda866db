import type { RegoVersion } from '../ast/ast.ts'
import { compile } from '../engine.ts'
import { RegoError } from '../errors.ts'

/**
 * Compile one module (`test.rego`) and list its compile errors as `row:col code: message`;
 * empty when it compiles.
 */
export function compileErrors(text: string, options: { regoVersion?: RegoVersion; strict?: boolean } = {}): string[] {
  try {
    compile([{ name: 'test.rego', text }], { regoVersion: options.regoVersion ?? 1, strict: options.strict ?? false })
    return []
  } catch (e) {
    if (!(e instanceof RegoError)) throw e
    return e.errors.map((x) => `${x.location?.row ?? 0}:${x.location?.col ?? 0} ${x.code}: ${x.message}`)
  }
}
