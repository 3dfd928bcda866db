import type { BuiltinDef } from '../builtin.ts'
import { awsBuiltins } from './aws/sign-req.ts'
import { graphqlBuiltins } from './graphql/builtins.ts'
import { httpSendBuiltins } from './http/http-send.ts'
import { jsonSchemaBuiltins } from './jsonschema/builtins.ts'
import { regoBuiltins } from './rego/parse-module.ts'
import { renderTemplateBuiltins } from './template/render-template.ts'

export const extrasBuiltins: readonly BuiltinDef[] = [
  ...graphqlBuiltins,
  ...awsBuiltins,
  ...jsonSchemaBuiltins,
  ...renderTemplateBuiltins,
  ...regoBuiltins,
  ...httpSendBuiltins,
]
