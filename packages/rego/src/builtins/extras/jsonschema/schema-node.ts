import type { RE2JS } from 're2js'

/** JSON types as gojsonschema names them, in its order (which its messages print). */
export const JSON_TYPES = ['array', 'boolean', 'integer', 'number', 'null', 'object', 'string']

export type Draft = 4 | 6 | 7 | 'hybrid'

/** An exact rational, for multipleOf and bounds (gojsonschema compares with big.Rat). */
export interface Rational {
  readonly num: bigint
  readonly den: bigint
}

/** One compiled (sub)schema: gojsonschema's SubSchema. */
export interface SubSchema {
  /** Set for the boolean schemas `true` / `false`. */
  pass?: boolean
  /** Resolves `$ref`; when set, the other keywords are ignored. */
  ref?: () => SubSchema
  types: string[]
  properties: [string, SubSchema][]
  additionalProperties?: boolean | SubSchema
  patternProperties: [RE2JS, SubSchema][]
  propertyNames?: SubSchema
  dependencies: [string, string[] | SubSchema][]
  items: SubSchema[]
  itemsIsSingleSchema: boolean
  additionalItems?: boolean | SubSchema
  multipleOf?: Rational
  minimum?: Rational
  maximum?: Rational
  exclusiveMinimum?: Rational
  exclusiveMaximum?: Rational
  minLength?: number
  maxLength?: number
  pattern?: { re: RE2JS; source: string }
  format?: string
  minProperties?: number
  maxProperties?: number
  required: string[]
  minItems?: number
  maxItems?: number
  uniqueItems: boolean
  contains?: SubSchema
  /** Canonical JSON of each allowed value; undefined when there is no `enum`. */
  enum?: string[]
  const?: string
  allOf: SubSchema[]
  anyOf: SubSchema[]
  oneOf: SubSchema[]
  not?: SubSchema
  if?: SubSchema
  then?: SubSchema
  else?: SubSchema
}

export function emptySchema(): SubSchema {
  return {
    types: [],
    properties: [],
    patternProperties: [],
    dependencies: [],
    items: [],
    itemsIsSingleSchema: false,
    required: [],
    uniqueItems: false,
    allOf: [],
    anyOf: [],
    oneOf: [],
  }
}

/** A schema that cannot be compiled; the message is gojsonschema's. */
export class SchemaError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SchemaError'
  }
}
