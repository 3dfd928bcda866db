import type { Import } from '../ast/ast.ts'

/** Rego v1 keywords: OPA writes such path segments as `["in"]`. */
const KEYWORDS = new Set([
  'as',
  'contains',
  'default',
  'else',
  'every',
  'false',
  'if',
  'import',
  'in',
  'not',
  'null',
  'package',
  'some',
  'true',
  'with',
])

/** The name an import binds: its alias, else the last part of its path. */
export function importName(imp: Import): string {
  if (imp.alias !== undefined) return imp.alias
  const p = imp.path
  if (p.type === 'var') return p.name
  const last = p.path[p.path.length - 1]
  if (last?.type === 'string') return last.value
  if (last?.type === 'var') return last.name
  return ''
}

/** The first name of an import's path: data, input, future or rego. */
export function importRoot(imp: Import): string {
  const p = imp.path
  if (p.type === 'var') return p.name
  return p.head.type === 'var' ? p.head.name : ''
}

/** An import as OPA writes it in messages: `import data.a["b-c"] as d`. */
export function importText(imp: Import): string {
  const p = imp.path
  let text = importRoot(imp)
  if (p.type === 'ref') {
    for (const seg of p.path) {
      if (seg.type === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(seg.value) && !KEYWORDS.has(seg.value)) {
        text += `.${seg.value}`
      } else if (seg.type === 'string') {
        text += `[${JSON.stringify(seg.value)}]`
      } else if (seg.type === 'var') {
        text += `[${seg.name}]`
      }
    }
  }
  return `import ${text}${imp.alias === undefined ? '' : ` as ${imp.alias}`}`
}
