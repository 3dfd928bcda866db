import { codePointLength } from '../../../value/string-order.ts'
import { RegoObject, type Value } from '../../../value/value.ts'
import { matchesFormat } from './formats.ts'
import {
  asArray,
  canonicalJson,
  compareRational,
  isMultiple,
  isNumberValue,
  jsonTypeOf,
  keyText,
  rationalText,
  toRational,
} from './json-value.ts'
import type { WorkMeter } from '../../work.ts'
import type { SubSchema } from './schema-node.ts'

/** One validation error, shaped as OPA reports gojsonschema's ResultError. */
export interface SchemaViolation {
  /** The error type, e.g. `invalid_type`, `required`. */
  readonly type: string
  /** The path of the offending value, `(root)` for the document itself. */
  readonly field: string
  readonly description: string
}

/** gojsonschema's Result: errors plus a score that ranks near-misses for anyOf/oneOf. */
class Result {
  errors: SchemaViolation[] = []
  score = 0

  get valid(): boolean {
    return this.errors.length === 0
  }

  merge(other: Result): void {
    this.errors.push(...other.errors)
    this.score += other.score
  }
}

/** A path in the document: `(root)`, `(root).a`, `(root).a.0`; and the validation's meter. */
class Context {
  readonly key: string
  readonly parent: Context | undefined
  readonly meter: WorkMeter
  constructor(key: string, parent: Context | WorkMeter) {
    this.key = key
    this.parent = parent instanceof Context ? parent : undefined
    this.meter = parent instanceof Context ? parent.meter : parent
  }

  toString(): string {
    return this.parent ? `${this.parent.toString()}.${this.key}` : this.key
  }

  field(): string {
    const s = this.toString()
    return s.startsWith('(root).') ? s.slice('(root).'.length) : s
  }
}

type Describe = (field: string) => string

function add(result: Result, type: string, context: Context, describe: Describe): void {
  const field = context.field()
  result.errors.push({ type, field, description: describe(field) })
}

function typesText(types: readonly string[]): string {
  return types.length > 1 ? `[${types.join(',')}]` : (types[0] ?? 'undefined')
}

function sub(schema: SubSchema, node: Value, context: Context): Result {
  const r = new Result()
  validateRecursive(schema, node, r, context)
  return r
}

/**
 * Validate a node against a schema. Counted: anyOf/oneOf options and shared definitions make
 * the work a product of the schema's and the document's sizes, or exponential in the nesting.
 */
function validateRecursive(s: SubSchema, node: Value, r: Result, ctx: Context): void {
  ctx.meter.add(1)
  if (s.pass !== undefined) {
    if (!s.pass) add(r, 'false', ctx, () => 'False always fails validation')
    return
  }
  if (s.ref) {
    validateRecursive(s.ref(), node, r, ctx)
    return
  }
  const given = jsonTypeOf(node)
  const typeOk = s.types.length === 0 || s.types.includes(given) || (given === 'integer' && s.types.includes('number'))
  if (!typeOk) {
    add(r, 'invalid_type', ctx, () => `Invalid type. Expected: ${typesText(s.types)}, given: ${given}`)
    return
  }
  validateSchema(s, node, r, ctx)
  if (isNumberValue(node)) validateNumber(s, node, r, ctx)
  const arr = node instanceof RegoObject ? undefined : asArray(node)
  if (arr) validateArray(s, arr, r, ctx)
  if (node instanceof RegoObject) validateObject(s, node, r, ctx)
  validateCommon(s, node, r, ctx)
  if (typeof node === 'string') validateString(s, node, r, ctx)
  if (node instanceof RegoObject) {
    for (const [name, child] of s.properties) {
      const next = node.get(name)
      if (next !== undefined) validateRecursive(child, next, r, new Context(name, ctx))
    }
  }
  r.score++
}

function validateSchema(s: SubSchema, node: Value, r: Result, ctx: Context): void {
  if (s.anyOf.length > 0) {
    let best: Result | undefined
    let ok = false
    for (const option of s.anyOf) {
      const res = sub(option, node, ctx)
      if (res.valid) {
        ok = true
        break
      }
      if (!best || res.score > best.score) best = res
    }
    if (!ok) {
      add(r, 'number_any_of', ctx, () => 'Must validate at least one schema (anyOf)')
      if (best) r.merge(best)
    }
  }
  if (s.oneOf.length > 0) {
    let best: Result | undefined
    let matched = 0
    for (const option of s.oneOf) {
      const res = sub(option, node, ctx)
      if (res.valid) matched++
      else if (matched === 0 && (!best || res.score > best.score)) best = res
    }
    if (matched !== 1) {
      add(r, 'number_one_of', ctx, () => 'Must validate one and only one schema (oneOf)')
      if (matched === 0 && best) r.merge(best)
    }
  }
  if (s.allOf.length > 0) {
    let matched = 0
    for (const option of s.allOf) {
      const res = sub(option, node, ctx)
      if (res.valid) matched++
      r.merge(res)
    }
    if (matched !== s.allOf.length) add(r, 'number_all_of', ctx, () => 'Must validate all the schemas (allOf)')
  }
  if (s.not && sub(s.not, node, ctx).valid) add(r, 'number_not', ctx, () => 'Must not validate the schema (not)')
  if (s.dependencies.length > 0 && node instanceof RegoObject) {
    for (const [key, dep] of s.dependencies) {
      if (!node.has(key)) continue
      if (Array.isArray(dep)) {
        for (const needed of dep) {
          if (!node.has(needed)) add(r, 'missing_dependency', ctx, () => `Has a dependency on ${needed}`)
        }
      } else {
        validateRecursive(dep, node, r, ctx)
      }
    }
  }
  if (s.if) {
    const ifOk = sub(s.if, node, ctx).valid
    const branch = ifOk ? s.then : s.else
    if (branch) {
      const res = sub(branch, node, ctx)
      if (!res.valid) {
        if (ifOk) add(r, 'condition_then', ctx, () => 'Must validate "then" as "if" was valid')
        else add(r, 'condition_else', ctx, () => 'Must validate "else" as "if" was not valid')
        r.merge(res)
      }
    }
  }
  r.score++
}

function validateCommon(s: SubSchema, node: Value, r: Result, ctx: Context): void {
  if (s.const !== undefined && canonicalJson(node) !== s.const) {
    const allowed = s.const
    add(r, 'const', ctx, (field) => `${field} does not match: ${allowed}`)
  }
  if (s.enum !== undefined && !s.enum.includes(canonicalJson(node))) {
    const allowed = s.enum.length === 0 ? '(none)' : s.enum.join(', ')
    add(r, 'enum', ctx, (field) => `${field} must be one of the following: ${allowed}`)
  }
  if (s.format !== undefined && !matchesFormat(s.format, node)) {
    const format = s.format
    add(r, 'format', ctx, () => `Does not match format '${format}'`)
  }
  r.score++
}

function validateArray(s: SubSchema, arr: readonly Value[], r: Result, ctx: Context): void {
  if (s.itemsIsSingleSchema) {
    const item = s.items[0] as SubSchema
    arr.forEach((v, i) => {
      r.merge(sub(item, v, new Context(String(i), ctx)))
    })
  } else if (s.items.length > 0) {
    const n = Math.min(s.items.length, arr.length)
    for (let i = 0; i < n; i++) r.merge(sub(s.items[i] as SubSchema, arr[i] as Value, new Context(String(i), ctx)))
    if (s.items.length < arr.length) {
      const extra = s.additionalItems
      if (extra === false) add(r, 'array_no_additional_items', ctx, () => 'No additional items allowed on array')
      else if (extra && extra !== true) {
        for (let i = s.items.length; i < arr.length; i++)
          r.merge(sub(extra, arr[i] as Value, new Context(String(i), ctx)))
      }
    }
  }
  if (s.minItems !== undefined && arr.length < s.minItems) {
    const min = s.minItems
    add(r, 'array_min_items', ctx, () => `Array must have at least ${min} items`)
  }
  if (s.maxItems !== undefined && arr.length > s.maxItems) {
    const max = s.maxItems
    add(r, 'array_max_items', ctx, () => `Array must have at most ${max} items`)
  }
  if (s.uniqueItems) {
    const seen = new Map<string, number>()
    arr.forEach((v, j) => {
      const key = canonicalJson(v)
      const i = seen.get(key)
      if (i !== undefined) add(r, 'unique', ctx, () => `array items[${i},${j}] must be unique`)
      seen.set(key, j)
    })
  }
  if (s.contains) {
    let best: Result | undefined
    let found = false
    for (let i = 0; i < arr.length; i++) {
      const res = sub(s.contains, arr[i] as Value, new Context(String(i), ctx))
      if (res.valid) {
        found = true
        break
      }
      if (!best || res.score > best.score) best = res
    }
    if (!found) {
      add(r, 'contains', ctx, () => 'At least one of the items must match')
      if (best) r.merge(best)
    }
  }
  r.score++
}

function validateObject(s: SubSchema, o: RegoObject, r: Result, ctx: Context): void {
  if (s.minProperties !== undefined && o.size < s.minProperties) {
    const min = s.minProperties
    add(r, 'array_min_properties', ctx, () => `Must have at least ${min} properties`)
  }
  if (s.maxProperties !== undefined && o.size > s.maxProperties) {
    const max = s.maxProperties
    add(r, 'array_max_properties', ctx, () => `Must have at most ${max} properties`)
  }
  for (const name of s.required) {
    if (o.has(name)) r.score++
    else add(r, 'required', ctx, () => `${name} is required`)
  }
  for (const [k, v] of o.entries()) {
    const key = keyText(k)
    const described = s.properties.some(([name]) => name === key)
    let patterned = false
    for (const [re, schema] of s.patternProperties) {
      if (re.matcher(key).find()) {
        patterned = true
        r.merge(sub(schema, v, new Context(key, ctx)))
      }
    }
    if (patterned) r.score++
    if (described || patterned) continue
    const extra = s.additionalProperties
    if (extra === false)
      add(r, 'additional_property_not_allowed', ctx, () => `Additional property ${key} is not allowed`)
    else if (extra && extra !== true) r.merge(sub(extra, v, new Context(key, ctx)))
  }
  if (s.propertyNames) {
    for (const k of o.keys()) {
      const res = sub(s.propertyNames, keyText(k), ctx)
      if (!res.valid) {
        add(r, 'invalid_property_name', ctx, () => `Property name of "${keyText(k)}" does not match`)
        r.merge(res)
      }
    }
  }
  r.score++
}

function validateString(s: SubSchema, str: string, r: Result, ctx: Context): void {
  const length = codePointLength(str)
  if (s.minLength !== undefined && length < s.minLength) {
    const min = s.minLength
    add(r, 'string_gte', ctx, () => `String length must be greater than or equal to ${min}`)
  }
  if (s.maxLength !== undefined && length > s.maxLength) {
    const max = s.maxLength
    add(r, 'string_lte', ctx, () => `String length must be less than or equal to ${max}`)
  }
  if (s.pattern && !s.pattern.re.matcher(str).find()) {
    const source = s.pattern.source
    add(r, 'pattern', ctx, () => `Does not match pattern '${source}'`)
  }
  r.score++
}

function validateNumber(s: SubSchema, n: number | bigint, r: Result, ctx: Context): void {
  const value = toRational(n)
  if (s.multipleOf && !isMultiple(value, s.multipleOf)) {
    const m = rationalText(s.multipleOf)
    add(r, 'multiple_of', ctx, () => `Must be a multiple of ${m}`)
  }
  if (s.maximum && compareRational(value, s.maximum) > 0) {
    const m = rationalText(s.maximum)
    add(r, 'number_lte', ctx, () => `Must be less than or equal to ${m}`)
  }
  if (s.exclusiveMaximum && compareRational(value, s.exclusiveMaximum) >= 0) {
    const m = rationalText(s.exclusiveMaximum)
    add(r, 'number_lt', ctx, () => `Must be less than ${m}`)
  }
  if (s.minimum && compareRational(value, s.minimum) < 0) {
    const m = rationalText(s.minimum)
    add(r, 'number_gte', ctx, () => `Must be greater than or equal to ${m}`)
  }
  if (s.exclusiveMinimum && compareRational(value, s.exclusiveMinimum) <= 0) {
    const m = rationalText(s.exclusiveMinimum)
    add(r, 'number_gt', ctx, () => `Must be greater than ${m}`)
  }
  r.score++
}

/** Validate a document; returns the violations (none when it matches). */
export function validateDocument(schema: SubSchema, document: Value, meter: WorkMeter): SchemaViolation[] {
  const r = new Result()
  validateRecursive(schema, document, r, new Context('(root)', meter))
  return r.errors
}
