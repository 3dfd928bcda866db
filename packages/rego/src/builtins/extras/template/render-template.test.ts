import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fromJS } from '../../../value/json.ts'
import { BuiltinError, type BuiltinContext } from '../../builtin.ts'
import { doublingRules, evalBounded, expectLimitError } from '../../bounds-test-support.ts'
import { renderTemplateBuiltins } from './render-template.ts'

const ctx: BuiltinContext = { strict: true, nowNs: 0n, random: () => 0, memo: new Map(), location: undefined }

function render(template: string, vars: unknown): unknown {
  const def = renderTemplateBuiltins[0]
  assert.ok(def)
  return def.fn([template, fromJS(vars)], ctx)
}

test('fields, numbers and range with index', () => {
  assert.equal(render('{{.test}}', { test: 'hello world' }), 'hello world')
  assert.equal(render('{{.test}}', { test: 2023 }), '2023')
  assert.equal(
    render('{{range $i, $name := .hellonames}}{{if $i}},{{end}}hello {{$name}}{{end}}', {
      hellonames: ['rohan', 'john doe'],
    }),
    'hello rohan,hello john doe',
  )
  assert.equal(render('{{.a.b}} {{ .a.c -}}  !', { a: { b: 1.5, c: true } }), '1.5 true!')
})

test('conditionals, with, else chains, functions and variables', () => {
  const vars = { n: 'x', items: { b: 2, a: 1 }, empty: [] }
  assert.equal(render('{{if eq .n "y"}}Y{{else if eq .n "x"}}X{{else}}?{{end}}', vars), 'X')
  assert.equal(render('{{with .items}}{{.a}}{{end}}', vars), '1')
  assert.equal(render('{{range $k, $v := .items}}{{$k}}={{$v}};{{end}}', vars), 'a=1;b=2;')
  assert.equal(render('{{range .empty}}x{{else}}none{{end}}', vars), 'none')
  assert.equal(render('{{$x := len .items}}{{$x}} {{printf "%s-%v" .n 3}} {{.n | print}}', vars), '2 x-3 x')
  assert.equal(render('{{/* note */}}{{index .items "b"}} {{not false}} {{and 1 0}}', vars), '2 true 0')
})

test('a missing key is an error', () => {
  assert.throws(
    () => render('{{.testvarnotprovided}}', { test: 'hello world' }),
    (e: unknown) =>
      e instanceof BuiltinError &&
      e.code === 'eval_builtin_error' &&
      e.message.includes('map has no entry for key "testvarnotprovided"'),
  )
  assert.throws(() => render('{{if .a}}', { a: 1 }), BuiltinError)
  assert.throws(() => render('{{nosuchfunc 1}}', {}), BuiltinError)
})

test('templates stop at the step bound: nested ranges, doubling variables, shared data', () => {
  const r = 'r := numbers.range(1, 100)\n'
  expectLimitError(
    `${r}p := strings.render_template("{{range .a}}{{range $.a}}{{range $.a}}x{{end}}{{end}}{{end}}", {"a": r})`,
  )
  expectLimitError('p := strings.render_template("{{range 1000000000}}x{{end}}", {})')
  expectLimitError(
    'p := count(strings.render_template("{{$x := \\"xxxxxxxxxxxxxxxx\\"}}{{range 40}}{{$x = printf \\"%v%v\\" $x $x}}{{end}}", {}))',
  )
  expectLimitError(`${doublingRules(24)}\np := strings.render_template("{{len .d}}", {"d": d24})`)
  assert.equal(
    evalBounded(`${r}p := count(strings.render_template("{{range .a}}{{range $.a}}x{{end}}{{end}}", {"a": r}))`),
    10_000,
  )
})
