import type { Import, Module, Term } from '../ast/ast.ts'
import { RegoError } from '../errors.ts'
import { forEachExpr } from './ast-walk.ts'
import { importName, importText } from './import-names.ts'
import { checkUnusedImports } from './unused-imports.ts'
import { checkUnusedVars } from './unused-vars.ts'

/**
 * OPA's checks of whole modules, apart from compiling their bodies. Always: `input` and `data`
 * as argument names. Strict mode (`CompileOptions.strict`): unused imports, unused local
 * assignments and unused function arguments. Strict mode, and v1 modules also without it:
 * `input` and `data` as rule or variable names, and imports that shadow one another (deprecated
 * builtins are the remaining such check, made where calls are compiled). Errors come in the
 * order of OPA's compiler stages; all of them are reported, where OPA stops after the first
 * stage that fails.
 */
export function checkModules(modules: readonly Module[], strict: boolean, errors: RegoError[]): void {
  for (const m of modules) checkArgsShadowing(m, errors)
  if (strict) for (const m of modules) checkUnusedImports(m, errors)
  for (const m of modules) if (strict || m.regoVersion === 1) checkRootDocumentOverrides(m, errors)
  for (const m of modules) if (strict || m.regoVersion === 1) checkDuplicateImports(m, errors)
  if (strict) for (const m of modules) checkUnusedVars(m, errors)
}

const ROOT_DOCUMENTS = new Set(['input', 'data'])

/** `f(input)`: a parameter named like a root document (nested in arrays and objects too). */
function checkArgsShadowing(m: Module, errors: RegoError[]): void {
  for (const rule of m.rules) {
    const found = rule.head.args?.map(rootDocumentIn).find((name) => name !== undefined)
    if (found !== undefined) {
      errors.push(
        new RegoError('rego_compile_error', `args must not shadow ${found} (use a different variable name)`, rule.loc),
      )
    }
  }
}

function rootDocumentIn(t: Term): string | undefined {
  switch (t.type) {
    case 'var':
      return ROOT_DOCUMENTS.has(t.name) ? t.name : undefined
    case 'array':
      return t.items.map(rootDocumentIn).find((x) => x !== undefined)
    case 'object':
      return t.entries.map((e) => rootDocumentIn(e.value)).find((x) => x !== undefined)
    default:
      return undefined
  }
}

/** Rules and `:=` variables named `input` or `data`. */
function checkRootDocumentOverrides(m: Module, errors: RegoError[]): void {
  for (const rule of m.rules) {
    const first = rule.head.ref[0]
    if (first?.type === 'var' && ROOT_DOCUMENTS.has(first.name)) {
      const message = `rules must not shadow ${first.name} (use a different rule name)`
      errors.push(new RegoError('rego_compile_error', message, rule.loc))
    }
  }
  for (const rule of m.rules) {
    forEachExpr(rule, (e) => {
      const k = e.kind
      if (k.type === 'assign' && k.lhs.type === 'var' && ROOT_DOCUMENTS.has(k.lhs.name)) {
        const message = `variables must not shadow ${k.lhs.name} (use a different variable name)`
        errors.push(new RegoError('rego_compile_error', message, e.loc))
      }
    })
  }
}

/** Two imports of one module that bind the same name. */
function checkDuplicateImports(m: Module, errors: RegoError[]): void {
  const seen = new Map<string, Import>()
  for (const imp of m.imports) {
    const name = importName(imp)
    const earlier = seen.get(name)
    if (earlier) {
      errors.push(new RegoError('rego_compile_error', `import must not shadow ${importText(earlier)}`, imp.loc))
    } else {
      seen.set(name, imp)
    }
  }
}
