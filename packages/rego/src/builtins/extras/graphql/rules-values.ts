import { typeString, ValueKind, type Argument, type Definition, type GqlType, type GqlValue } from './ast.ts'
import { goQuote } from './go-quote.ts'
import { isCompatible } from './schema.ts'
import { suggestQuoted, suggestUnquoted } from './suggestions.ts'
import type { AddError, Rule } from './walker.ts'

/** Validation rules about names, variables and input values (gqlparser's names). */

/** gqlparser's Value.String(). */
export function valueString(v: GqlValue): string {
  switch (v.kind) {
    case ValueKind.Variable:
      return '$' + v.raw
    case ValueKind.String:
    case ValueKind.Block:
      return goQuote(v.raw)
    case ValueKind.List:
      return '[' + v.children.map((c) => valueString(c.value)).join(',') + ']'
    case ValueKind.Object:
      return '{' + v.children.map((c) => c.name + ':' + valueString(c.value)).join(',') + '}'
    default:
      return v.raw
  }
}

function checkUnique(
  names: readonly { name: string; position: Argument['position'] }[],
  message: (n: string) => string,
  addError: AddError,
): void {
  const seen = new Set<string>()
  for (const n of names) {
    if (seen.has(n.name)) addError(message(n.name), n.position)
    seen.add(n.name)
  }
}

export const uniqueArgumentNames: Rule = {
  name: 'UniqueArgumentNames',
  register: (events, addError) => {
    const message = (n: string): string => `There can be only one argument named "${n}".`
    events.field.push((_w, field) => {
      checkUnique(field.arguments, message, addError)
    })
    events.directive.push((_w, dir) => {
      checkUnique(dir.arguments, message, addError)
    })
  },
}

export const uniqueDirectivesPerLocation: Rule = {
  name: 'UniqueDirectivesPerLocation',
  register: (events, addError) => {
    events.directiveList.push((_w, directives) => {
      const seen = new Set<string>()
      for (const dir of directives) {
        if (dir.definition?.isRepeatable) continue
        if (seen.has(dir.name))
          addError(`The directive "@${dir.name}" can only be used once at this location.`, dir.position)
        seen.add(dir.name)
      }
    })
  },
}

export const uniqueFragmentNames: Rule = {
  name: 'UniqueFragmentNames',
  register: (events, addError) => {
    const seen = new Set<string>()
    events.fragment.push((_w, frag) => {
      if (seen.has(frag.name)) addError(`There can be only one fragment named "${frag.name}".`, frag.position)
      seen.add(frag.name)
    })
  },
}

export const uniqueInputFieldNames: Rule = {
  name: 'UniqueInputFieldNames',
  register: (events, addError) => {
    events.value.push((_w, value) => {
      if (value.kind !== ValueKind.Object) return
      checkUnique(value.children, (n) => `There can be only one input field named "${n}".`, addError)
    })
  },
}

export const uniqueOperationNames: Rule = {
  name: 'UniqueOperationNames',
  register: (events, addError) => {
    const seen = new Set<string>()
    events.operation.push((_w, op) => {
      if (seen.has(op.name)) addError(`There can be only one operation named "${op.name}".`, op.position)
      seen.add(op.name)
    })
  },
}

export const uniqueVariableNames: Rule = {
  name: 'UniqueVariableNames',
  register: (events, addError) => {
    events.operation.push((_w, op) => {
      const names = op.variableDefinitions.map((v) => ({ name: v.variable, position: v.position }))
      checkUnique(names, (n) => `There can be only one variable named "$${n}".`, addError)
    })
  },
}

export const noUndefinedVariables: Rule = {
  name: 'NoUndefinedVariables',
  register: (events, addError) => {
    events.value.push((walker, value) => {
      const op = walker.currentOperation
      if (!op || value.kind !== ValueKind.Variable || value.variableDefinition) return
      const message =
        op.name !== ''
          ? `Variable "${valueString(value)}" is not defined by operation "${op.name}".`
          : `Variable "${valueString(value)}" is not defined.`
      addError(message, value.position)
    })
  },
}

export const noUnusedVariables: Rule = {
  name: 'NoUnusedVariables',
  register: (events, addError) => {
    events.operation.push((_w, op) => {
      for (const v of op.variableDefinitions) {
        if (v.used) continue
        const message =
          op.name !== ''
            ? `Variable "$${v.variable}" is never used in operation "${op.name}".`
            : `Variable "$${v.variable}" is never used.`
        addError(message, v.position)
      }
    })
  },
}

export const variablesAreInputTypes: Rule = {
  name: 'VariablesAreInputTypes',
  register: (events, addError) => {
    events.operation.push((_w, op) => {
      for (const v of op.variableDefinitions) {
        const def = v.definition
        if (!def || def.kind === 'SCALAR' || def.kind === 'ENUM' || def.kind === 'INPUT_OBJECT') continue
        addError(`Variable "$${v.variable}" cannot be non-input type "${typeString(v.type)}".`, v.position)
      }
    })
  },
}

export const variablesInAllowedPosition: Rule = {
  name: 'VariablesInAllowedPosition',
  register: (events, addError) => {
    events.value.push((walker, value) => {
      const expected = value.expectedType
      const varDef = value.variableDefinition
      if (value.kind !== ValueKind.Variable || !expected || !varDef || !walker.currentOperation) return
      const allowed: GqlType = { ...expected }
      if (varDef.defaultValue && varDef.defaultValue.kind !== ValueKind.Null && expected.nonNull)
        allowed.nonNull = false
      if (!isCompatible(varDef.type, allowed)) {
        addError(
          `Variable "${valueString(value)}" of type "${typeString(varDef.type)}" used in position expecting type "${typeString(expected)}".`,
          value.position,
        )
      }
    })
  },
}

const BUILTIN_SCALARS = ['Int', 'Float', 'String', 'Boolean', 'ID']

function oneOf(def: Definition, ...names: string[]): boolean {
  return names.includes(def.name)
}

function parseBigInt(raw: string): bigint | undefined {
  return /^-?[0-9]+$/.test(raw) ? BigInt(raw) : undefined
}

/** The literal's Go value could not be computed (gqlparser's Value.Value errors). */
function literalFails(v: GqlValue): boolean {
  switch (v.kind) {
    case ValueKind.Int: {
      const n = parseBigInt(v.raw)
      return n === undefined || n > 0x7fffffffffffffffn || n < -0x8000000000000000n
    }
    case ValueKind.List:
    case ValueKind.Object:
      return v.children.some((c) => literalFails(c.value))
    default:
      return false
  }
}

function typeMismatchMessage(v: GqlValue, expected: GqlType, def: Definition): string {
  const s = valueString(v)
  switch (typeString(expected)) {
    case 'Int':
    case 'Int!': {
      const n = v.kind === ValueKind.Int ? parseBigInt(v.raw) : undefined
      if (n !== undefined && (n > 0x7fffffffn || n < -0x80000000n))
        return `Int cannot represent non 32-bit signed integer value: ${s}`
      return `Int cannot represent non-integer value: ${s}`
    }
    case 'String':
    case 'String!':
    case '[String]':
      return `String cannot represent a non string value: ${s}`
    case 'Boolean':
    case 'Boolean!':
      return `Boolean cannot represent a non boolean value: ${s}`
    case 'Float':
    case 'Float!':
      return `Float cannot represent non numeric value: ${s}`
    case 'ID':
    case 'ID!':
      return `ID cannot represent a non-string and non-integer value: ${s}`
    default:
      if (def.kind === 'ENUM') return `Enum "${typeString(expected)}" cannot represent non-enum value: ${s}.`
      return `Expected value of type "${typeString(expected)}", found ${s}.`
  }
}

export const valuesOfCorrectType: Rule = {
  name: 'ValuesOfCorrectType',
  register: (events, addError) => {
    events.value.push((_w, value) => {
      const def = value.definition
      const expected = value.expectedType
      if (!def || !expected) return
      const mismatch = (): void => {
        addError(typeMismatchMessage(value, expected, def), value.position)
      }
      if (value.kind === ValueKind.Null && expected.nonNull) {
        addError(`Expected value of type "${typeString(expected)}", found ${valueString(value)}.`, value.position)
      }
      if (def.kind === 'SCALAR' && !BUILTIN_SCALARS.includes(def.name)) return
      const enumNames = def.kind === 'ENUM' ? def.enumValues.map((e) => e.name) : []
      if (literalFails(value)) mismatch()
      switch (value.kind) {
        case ValueKind.List:
          if (!expected.elem) mismatch()
          return
        case ValueKind.Int:
          if (!oneOf(def, 'Int', 'Float', 'ID')) mismatch()
          return
        case ValueKind.Float:
          if (!oneOf(def, 'Float')) mismatch()
          return
        case ValueKind.String:
        case ValueKind.Block:
          if (def.kind === 'ENUM') {
            const hint = suggestQuoted('Did you mean the enum value', value.raw, enumNames)
            addError(
              `Enum "${typeString(expected)}" cannot represent non-enum value: ${valueString(value)}.${hint}`,
              value.position,
            )
          } else if (!oneOf(def, 'String', 'ID')) {
            mismatch()
          }
          return
        case ValueKind.Enum:
          if (def.kind !== 'ENUM') {
            const hint = suggestUnquoted('Did you mean the enum value', value.raw, enumNames)
            addError(typeMismatchMessage(value, expected, def) + hint, value.position)
          } else if (!def.enumValues.some((e) => e.name === value.raw)) {
            const hint = suggestQuoted('Did you mean the enum value', value.raw, enumNames)
            addError(
              `Value "${valueString(value)}" does not exist in "${typeString(expected)}" enum.${hint}`,
              value.position,
            )
          }
          return
        case ValueKind.Boolean:
          if (!oneOf(def, 'Boolean')) mismatch()
          return
        case ValueKind.Object:
          for (const field of def.fields) {
            if (!field.type.nonNull) continue
            if (!value.children.some((c) => c.name === field.name) && !field.defaultValue) {
              addError(
                `Field "${def.name}.${field.name}" of required type "${typeString(field.type)}" was not provided.`,
                value.position,
              )
            }
          }
          for (const child of value.children) {
            if (def.fields.some((f) => f.name === child.name)) continue
            const hint = suggestQuoted(
              'Did you mean',
              child.name,
              def.fields.map((f) => f.name),
            )
            addError(`Field "${child.name}" is not defined by type "${def.name}".${hint}`, child.position)
          }
          return
        default:
          return
      }
    })
  },
}
