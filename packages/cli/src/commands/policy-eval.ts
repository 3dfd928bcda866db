import { compile } from '@carapace/rego'
import {
  evalQueryReport,
  formatQueryReportJson,
  formatQueryReportPretty,
  loadPolicyPaths,
  readValueFile,
} from '@carapace/rego/tooling'
import type { Command } from '../command.ts'
import { choiceFlag, parseFlags, UsageError } from '../flags.ts'
import { EXIT_OK, runAction } from '../output.ts'

const usage = `Usage: carapace policy eval [options] <query>

Evaluates a Rego query, like \`opa eval\`. Prints {"result": [{"expressions": [{"value", "text"}],
"bindings": {...}}]}: "expressions" when the query is a single expression, "bindings" when it has
variables, and {} when it is undefined. print() output goes to stderr.

Options:
  -d, --data PATH              a .rego module, a .json/.yaml data file, or a directory of them
                               (data files in dir/a/b/ load under data.a.b); repeatable
  -i, --input FILE             the input document (.json, or .yaml/.yml)
      --v0                     parse modules as Rego v0 (default v1)
      --strict                 compile the modules in OPA's strict mode: unused imports, local
                               assignments and function arguments are errors, and so are
                               duplicate imports, input/data as names and deprecated builtins
                               in v0 modules too (v1 modules always reject those)
      --strict-builtin-errors  fail on the first builtin error instead of making it undefined
  -f, --format FORMAT          json (default) or pretty

Example:
  carapace policy eval -d policy.rego -i input.json 'data.policy.allow'`

export const policyEval: Command = {
  path: ['policy', 'eval'],
  summary: 'Evaluate a Rego query against policies, data and input (like opa eval)',
  usage,
  run: (args, io) =>
    runAction(policyEval, io, () => {
      const { values, positionals } = parseFlags(args, {
        data: { type: 'string', short: 'd', multiple: true },
        input: { type: 'string', short: 'i' },
        v0: { type: 'boolean' },
        strict: { type: 'boolean' },
        'strict-builtin-errors': { type: 'boolean' },
        format: { type: 'string', short: 'f', default: 'json' },
      })
      const [query, ...extra] = positionals
      if (query === undefined || extra.length > 0) throw new UsageError('expected exactly one query argument')
      const format = choiceFlag('format', values.format, ['json', 'pretty'])
      const regoVersion = values.v0 ? 0 : 1
      const files = loadPolicyPaths(values.data ?? [])
      const input = values.input === undefined ? undefined : readValueFile(values.input)
      const policy = compile(files.modules, { regoVersion, strict: values.strict ?? false })
      const report = evalQueryReport(policy, query, {
        regoVersion,
        data: files.data,
        ...(input === undefined ? {} : { input }),
        strictBuiltinErrors: values['strict-builtin-errors'] ?? false,
        print: (e) => {
          io.stderr(`${e.message}\n`)
        },
      })
      io.stdout(`${format === 'json' ? formatQueryReportJson(report) : formatQueryReportPretty(report)}\n`)
      return EXIT_OK
    }),
}
