import { typeName, type TypeName, type Value } from '../../value/value.ts'
import { builtin, type BuiltinDef } from '../builtin.ts'

function typeTest(name: string, type: TypeName): BuiltinDef {
  return builtin(name, 1, (args) => typeName(args[0] ?? null) === type)
}

export const typeBuiltins: readonly BuiltinDef[] = [
  typeTest('is_array', 'array'),
  typeTest('is_boolean', 'boolean'),
  typeTest('is_null', 'null'),
  typeTest('is_number', 'number'),
  typeTest('is_object', 'object'),
  typeTest('is_set', 'set'),
  typeTest('is_string', 'string'),
  builtin('type_name', 1, (args): Value => typeName(args[0] ?? null)),
]
