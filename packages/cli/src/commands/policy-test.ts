import { compile } from '@carapace/rego'
import { formatTestReport, loadPolicyPaths, runPolicyTests } from '@carapace/rego/tooling'
import type { Command } from '../command.ts'
import { parseFlags, UsageError } from '../flags.ts'
import { EXIT_FAILURE, EXIT_OK, runAction } from '../output.ts'

const usage = `Usage: carapace policy test [options] <path>...

Runs every rule named test_* (in any package, without arguments) in the .rego files under the
paths, like \`opa test\`; .json/.yaml files there are loaded as data. A test passes when it is
defined and true. Prints failures (every test with -v) and PASS: n/m; exits 1 when a test fails
or errors, or when there are no tests.

Options:
      --v0           parse modules as Rego v0 (default v1)
      --strict       compile the modules in OPA's strict mode: unused imports, local
                     assignments and function arguments are errors, and so are duplicate
                     imports, input/data as names and deprecated builtins in v0 modules too
                     (v1 modules always reject those)
      --run REGEX    only tests whose path (data.pkg.test_name) matches REGEX
  -v, --verbose      list every test and its print() output`

export const policyTest: Command = {
  path: ['policy', 'test'],
  summary: 'Run the test_* rules of Rego policies (like opa test)',
  usage,
  run: (args, io) =>
    runAction(policyTest, io, () => {
      const { values, positionals } = parseFlags(args, {
        v0: { type: 'boolean' },
        strict: { type: 'boolean' },
        run: { type: 'string' },
        verbose: { type: 'boolean', short: 'v' },
      })
      if (positionals.length === 0) throw new UsageError('expected at least one path')
      const run = values.run === undefined ? undefined : toRegExp(values.run)
      const files = loadPolicyPaths(positionals)
      const policy = compile(files.modules, { regoVersion: values.v0 ? 0 : 1, strict: values.strict ?? false })
      const results = runPolicyTests(policy, { data: files.data, ...(run ? { run } : {}) })
      if (results.length === 0) {
        io.stderr(`no tests found${run ? ` matching ${values.run ?? ''}` : ''}\n`)
        return EXIT_FAILURE
      }
      io.stdout(`${formatTestReport(results, { verbose: values.verbose ?? false }).join('\n')}\n`)
      return results.every((r) => r.status === 'pass') ? EXIT_OK : EXIT_FAILURE
    }),
}

function toRegExp(text: string): RegExp {
  try {
    return new RegExp(text)
  } catch (e) {
    throw new UsageError(`--run is not a valid regular expression: ${e instanceof Error ? e.message : String(e)}`)
  }
}
