import type { BuiltinDef } from '../builtin.ts'
import { base64Builtins } from './encoding-base64.ts'
import { hexBuiltins } from './encoding-hex.ts'
import { globBuiltins } from './glob.ts'
import { jsonBuiltins } from './json-text.ts'
import { regexBuiltins } from './regex.ts'
import { semverBuiltins } from './semver.ts'
import { sprintfBuiltins } from './sprintf.ts'
import { stringBuiltins } from './strings.ts'
import { trimBuiltins } from './trim.ts'
import { unitsBuiltins } from './units.ts'
import { urlQueryBuiltins } from './urlquery.ts'
import { uuidBuiltins } from './uuid.ts'
import { yamlBuiltins } from './yaml-text.ts'

/** Strings, sprintf, regex, globs, encodings, JSON/YAML text, units, semver and UUIDs. */
export const textBuiltins: readonly BuiltinDef[] = [
  ...stringBuiltins,
  ...trimBuiltins,
  ...sprintfBuiltins,
  ...regexBuiltins,
  ...globBuiltins,
  ...base64Builtins,
  ...hexBuiltins,
  ...urlQueryBuiltins,
  ...jsonBuiltins,
  ...yamlBuiltins,
  ...unitsBuiltins,
  ...semverBuiltins,
  ...uuidBuiltins,
]
