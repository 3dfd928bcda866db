import type { CTerm } from '../compiler/ir.ts'
import type { Location } from '../errors.ts'
import { toRegoText } from '../value/rego-text.ts'
import { RegoSet, type Value } from '../value/value.ts'
import { MULTI, type Frame } from './eval-state.ts'
import { WithEvaluator } from './with-modifiers.ts'

/** `print`: one line per combination of its operands' values, given to the print handler. */
export abstract class PrintEvaluator extends WithEvaluator {
  /** Text of composite values already printed in this evaluation (values are immutable). */
  private printed: WeakMap<object, string> | undefined = undefined

  protected doPrint(args: readonly CTerm[], f: Frame, loc: Location): void {
    if (!this.print) return
    let single = true
    const parts: string[][] = []
    for (const a of args) {
      const v = this.sync(a, f)
      if (v !== MULTI) {
        parts.push([v === undefined ? '<undefined>' : this.printText(v)])
        continue
      }
      const vals = new RegoSet()
      this.multi(a, f, (x) => {
        vals.add(x)
        return false
      })
      if (vals.size === 0) parts.push(['<undefined>'])
      else {
        if (vals.size > 1) single = false
        parts.push(vals.values().map((x) => this.printText(x)))
      }
    }
    if (single) {
      // Concatenation rather than join: the message stays a rope over the cached operand texts.
      let message = parts[0]?.[0] ?? ''
      for (let i = 1; i < parts.length; i++) message += ' ' + ((parts[i] as string[])[0] as string)
      this.print({ message, location: loc })
      return
    }
    let lines: string[][] = [[]]
    for (const p of parts) lines = lines.flatMap((l) => p.map((s) => [...l, s]))
    for (const l of lines) this.print({ message: l.join(' '), location: loc })
  }

  /** A print operand's text: strings as they are, other values as Rego terms (cached per value). */
  private printText(v: Value): string {
    if (typeof v === 'string') return v
    if (v === null || typeof v !== 'object') return toRegoText(v)
    const cache = (this.printed ??= new WeakMap())
    let text = cache.get(v)
    if (text === undefined) cache.set(v, (text = toRegoText(v)))
    return text
  }
}
