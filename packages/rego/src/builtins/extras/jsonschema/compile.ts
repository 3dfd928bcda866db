import { RE2JS } from 're2js'
import { RegoObject, type Value } from '../../../value/value.ts'
import { asArray, canonicalJson, isNumberValue, keyText, toRational } from './json-value.ts'
import { JSON_TYPES, SchemaError, emptySchema, type Draft, type Rational, type SubSchema } from './schema-node.ts'

/** Compiles a JSON Schema (drafts 4, 6, 7 or gojsonschema's hybrid of them) into SubSchemas. */

function invalidType(expected: string, given: string): SchemaError {
  return new SchemaError(`Invalid type. Expected: ${expected}, given: ${given}`)
}

function fail(message: string): SchemaError {
  return new SchemaError(message)
}

function draftOf(root: Value): Draft {
  if (!(root instanceof RegoObject)) return 'hybrid'
  const s = root.get('$schema')
  if (typeof s !== 'string') return 'hybrid'
  if (/draft-04\/schema#?$/.test(s)) return 4
  if (/draft-06\/schema#?$/.test(s)) return 6
  if (/draft-07\/schema#?$/.test(s)) return 7
  return 'hybrid'
}

function isSchemaValue(v: Value, draft: Draft): boolean {
  return v instanceof RegoObject || (typeof v === 'boolean' && draft !== 4)
}

function integerOf(v: Value): number | undefined {
  if (typeof v === 'bigint') return Number(v)
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined
}

class Compiler {
  private readonly root: Value
  private readonly draft: Draft
  private readonly refs = new Map<string, SubSchema>()

  constructor(root: Value) {
    this.root = root
    this.draft = draftOf(root)
  }

  compileRoot(): SubSchema {
    return this.compile(this.root)
  }

  private compile(node: Value): SubSchema {
    const s = emptySchema()
    if (typeof node === 'boolean' && this.draft !== 4) {
      s.pass = node
      return s
    }
    if (!(node instanceof RegoObject)) throw fail('Expected: valid schema, given: Invalid JSON')
    this.fill(s, node)
    return s
  }

  private str(m: RegoObject, key: string): string | undefined {
    const v = m.get(key)
    if (v === undefined) return undefined
    if (typeof v !== 'string') throw invalidType('string', key)
    return v
  }

  private sub(v: Value, expected: string, key: string): SubSchema {
    if (!isSchemaValue(v, this.draft)) throw invalidType(expected, key)
    return this.compile(v)
  }

  private schemaList(m: RegoObject, key: string): SubSchema[] {
    const v = m.get(key)
    if (v === undefined) return []
    const arr = asArray(v)
    if (!arr) throw invalidType('array of schemas', key)
    return arr.map((item) => this.sub(item, 'array of schemas', key))
  }

  private count(m: RegoObject, key: string): number | undefined {
    const v = m.get(key)
    if (v === undefined) return undefined
    const n = integerOf(v)
    if (n === undefined) throw fail(`${key} must be of an integer`)
    if (n < 0) throw fail(`${key} must be greater than or equal to 0`)
    return n
  }

  private number(m: RegoObject, key: string): Rational | undefined {
    const v = m.get(key)
    if (v === undefined) return undefined
    if (!isNumberValue(v)) throw fail(`${key} must be of a number`)
    return toRational(v)
  }

  private fill(s: SubSchema, m: RegoObject): void {
    const idKey = this.draft === 4 || (this.draft === 'hybrid' && m.has('id')) ? 'id' : '$id'
    this.str(m, idKey)
    const defs = m.get('definitions')
    if (defs !== undefined) {
      if (!(defs instanceof RegoObject)) throw invalidType('array of schemas', 'definitions')
      for (const d of defs.values()) this.sub(d, 'array of schemas', 'definitions')
    }
    this.str(m, 'title')
    this.str(m, 'description')
    const ref = this.str(m, '$ref')
    if (ref !== undefined) {
      const target = this.resolve(ref)
      s.ref = () => target
      return
    }
    this.fillTypes(s, m)
    this.fillObject(s, m)
    this.fillArray(s, m)
    this.fillNumber(s, m)
    this.fillString(s, m)
    this.fillCombinators(s, m)
  }

  private fillTypes(s: SubSchema, m: RegoObject): void {
    const t = m.get('type')
    if (t === undefined) return
    const list = typeof t === 'string' ? [t] : asArray(t)
    if (!list) throw invalidType('type', 'string/array of strings')
    for (const name of list) {
      if (typeof name !== 'string') throw invalidType('type', 'string/array of strings')
      if (!JSON_TYPES.includes(name)) {
        throw fail(
          `has a primitive type that is NOT VALID -- given: /${name}/ Expected valid values are:[${JSON_TYPES.join(' ')}]`,
        )
      }
      if (s.types.includes(name)) throw fail(`${name} type is duplicated`)
      s.types.push(name)
    }
  }

  private fillObject(s: SubSchema, m: RegoObject): void {
    const props = m.get('properties')
    if (props !== undefined) {
      if (!(props instanceof RegoObject)) throw invalidType('properties', 'properties')
      for (const [k, v] of props.entries()) s.properties.push([keyText(k), this.sub(v, 'valid schema', keyText(k))])
    }
    const ap = m.get('additionalProperties')
    if (typeof ap === 'boolean') s.additionalProperties = ap
    else if (ap instanceof RegoObject) s.additionalProperties = this.compile(ap)
    else if (ap !== undefined) throw invalidType('boolean/valid schema', 'additionalProperties')
    const pp = m.get('patternProperties')
    if (pp !== undefined) {
      if (!(pp instanceof RegoObject)) throw invalidType('object', 'patternProperties')
      for (const [k, v] of pp.entries()) {
        let re: RE2JS
        try {
          re = RE2JS.compile(keyText(k))
        } catch {
          throw fail(`Invalid regex pattern '${keyText(k)}'`)
        }
        s.patternProperties.push([re, this.sub(v, 'valid schema', 'patternProperties')])
      }
    }
    const pn = m.get('propertyNames')
    if (pn !== undefined && this.draft !== 4) s.propertyNames = this.sub(pn, 'valid schema', 'patternProperties')
    const deps = m.get('dependencies')
    if (deps !== undefined) {
      if (!(deps instanceof RegoObject)) throw invalidType('object', 'dependencies')
      for (const [k, v] of deps.entries()) {
        const arr = asArray(v)
        if (arr) {
          if (!arr.every((x) => typeof x === 'string')) throw fail('dependencies items must be string')
          s.dependencies.push([keyText(k), arr])
        } else {
          s.dependencies.push([keyText(k), this.sub(v, 'schema or array of strings', 'dependencies')])
        }
      }
    }
    s.minProperties = this.count(m, 'minProperties')
    s.maxProperties = this.count(m, 'maxProperties')
    if (s.minProperties !== undefined && s.maxProperties !== undefined && s.minProperties > s.maxProperties) {
      throw fail('minProperties cannot be greater than maxProperties')
    }
    const req = m.get('required')
    if (req !== undefined) {
      const arr = asArray(req)
      if (!arr) throw fail('required must be of an array')
      for (const r of arr) {
        if (typeof r !== 'string') throw fail('required items must be string')
        if (s.required.includes(r)) throw fail('required items must be unique')
        s.required.push(r)
      }
    }
  }

  private fillArray(s: SubSchema, m: RegoObject): void {
    const items = m.get('items')
    if (items !== undefined) {
      const arr = asArray(items)
      if (arr) {
        s.items = arr.map((i) => this.sub(i, 'valid schema/array of schemas', 'items'))
      } else {
        s.items = [this.sub(items, 'valid schema/array of schemas', 'items')]
        s.itemsIsSingleSchema = true
      }
    }
    const ai = m.get('additionalItems')
    if (typeof ai === 'boolean') s.additionalItems = ai
    else if (ai instanceof RegoObject) s.additionalItems = this.compile(ai)
    else if (ai !== undefined) throw invalidType('boolean/valid schema', 'additionalItems')
    s.minItems = this.count(m, 'minItems')
    s.maxItems = this.count(m, 'maxItems')
    if (s.minItems !== undefined && s.maxItems !== undefined && s.minItems > s.maxItems) {
      throw fail('minItems cannot be greater than maxItems')
    }
    const unique = m.get('uniqueItems')
    if (unique !== undefined) {
      if (typeof unique !== 'boolean') throw fail('uniqueItems must be of a boolean')
      s.uniqueItems = unique
    }
    const contains = m.get('contains')
    if (contains !== undefined && this.draft !== 4) s.contains = this.sub(contains, 'valid schema', 'contains')
  }

  private fillNumber(s: SubSchema, m: RegoObject): void {
    const mult = m.get('multipleOf')
    if (mult !== undefined) {
      if (!isNumberValue(mult)) throw invalidType('number', 'multipleOf')
      const r = toRational(mult)
      if (r.num <= 0n) throw fail('multipleOf must be strictly greater than 0')
      s.multipleOf = r
    }
    s.minimum = this.number(m, 'minimum')
    s.maximum = this.number(m, 'maximum')
    for (const [key, bound] of [
      ['exclusiveMinimum', 'minimum'],
      ['exclusiveMaximum', 'maximum'],
    ] as const) {
      const v = m.get(key)
      if (v === undefined) continue
      const exclusive = key === 'exclusiveMinimum' ? 'exclusiveMinimum' : 'exclusiveMaximum'
      if (typeof v === 'boolean' && this.draft !== 6 && this.draft !== 7) {
        if (s[bound] === undefined) throw fail(`${key} cannot be used without ${bound}`)
        if (v) {
          s[exclusive] = s[bound]
          s[bound] = undefined
        }
      } else if (isNumberValue(v) && this.draft !== 4) {
        s[exclusive] = toRational(v)
      } else {
        throw invalidType(this.draft === 4 ? 'boolean' : this.draft === 'hybrid' ? 'boolean/number' : 'number', key)
      }
    }
  }

  private fillString(s: SubSchema, m: RegoObject): void {
    s.minLength = this.count(m, 'minLength')
    s.maxLength = this.count(m, 'maxLength')
    if (s.minLength !== undefined && s.maxLength !== undefined && s.minLength > s.maxLength) {
      throw fail('minLength cannot be greater than maxLength')
    }
    const pattern = this.str(m, 'pattern')
    if (pattern !== undefined) {
      try {
        s.pattern = { re: RE2JS.compile(pattern), source: pattern }
      } catch {
        throw fail('pattern must be a valid regex')
      }
    }
    s.format = this.str(m, 'format')
  }

  private fillCombinators(s: SubSchema, m: RegoObject): void {
    if (m.has('const') && this.draft !== 4) s.const = canonicalJson(m.get('const') as Value)
    const en = m.get('enum')
    if (en !== undefined) {
      const arr = asArray(en)
      if (!arr) throw fail('enum must be of an array')
      s.enum = []
      for (const e of arr) {
        const text = canonicalJson(e)
        if (s.enum.includes(text)) throw fail('enum items must be unique')
        s.enum.push(text)
      }
    }
    s.oneOf = this.schemaList(m, 'oneOf')
    s.anyOf = this.schemaList(m, 'anyOf')
    s.allOf = this.schemaList(m, 'allOf')
    const not = m.get('not')
    if (not !== undefined) s.not = this.sub(not, 'object', 'not')
    if (this.draft !== 4 && this.draft !== 6) {
      const cond = m.get('if')
      if (cond !== undefined) s.if = this.sub(cond, 'valid schema', 'if')
      const then = m.get('then')
      if (then !== undefined) s.then = this.sub(then, 'valid schema', 'then')
      const otherwise = m.get('else')
      if (otherwise !== undefined) s.else = this.sub(otherwise, 'valid schema', 'else')
    }
  }

  /** A `$ref` within this document (`#`, `#/definitions/x`, ...). */
  private resolve(ref: string): SubSchema {
    const hit = this.refs.get(ref)
    if (hit) return hit
    const hash = ref.indexOf('#')
    if (hash > 0 || hash < 0) throw fail(`References to external schemas are not supported: ${ref}`)
    let node: Value | undefined = this.root
    const pointer = ref.slice(1)
    if (pointer !== '') {
      for (const raw of pointer.replace(/^\//, '').split('/')) {
        const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~')
        if (node instanceof RegoObject) node = node.get(key)
        else node = asArray(node ?? null)?.[Number(key)]
        if (node === undefined) throw fail(`Object has no key '${key}'`)
      }
    }
    const placeholder = emptySchema()
    this.refs.set(ref, placeholder)
    Object.assign(placeholder, this.compile(node))
    return placeholder
  }
}

/** Compile a schema document; throws SchemaError with gojsonschema's message. */
export function compileSchema(root: Value): SubSchema {
  return new Compiler(root).compileRoot()
}
