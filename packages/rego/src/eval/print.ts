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
    // Operands with one value (nearly all) make one line, built by concatenation: the message
    // stays a rope over the cached operand texts.
    let message = ''
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as CTerm
      const v = this.sync(a, f)
      if (v === MULTI) {
        this.printProduct(args, i, this.pending(a), i === 0 ? undefined : message, f, loc)
        return
      }
      const text = v === undefined ? '<undefined>' : this.printText(v)
      message = i === 0 ? text : message + ' ' + text
    }
    this.print({ message, location: loc })
  }

  /**
   * From operand `from` on (found to have several values; `pending` is what is left to
   * evaluate of it), one line per combination of the operands' distinct values.
   */
  private printProduct(
    args: readonly CTerm[],
    from: number,
    pending: CTerm,
    prefix: string | undefined,
    f: Frame,
    loc: Location,
  ): void {
    const print = this.print
    if (!print) return
    let lines: string[][] = [prefix === undefined ? [] : [prefix]]
    for (let i = from; i < args.length; i++) {
      const vals = new RegoSet()
      const add = (x: Value): boolean => {
        vals.add(x)
        return false
      }
      // Operand `from` has been found to have several values already: do not evaluate it twice.
      if (i === from) this.multi(pending, f, add)
      else this.term(args[i] as CTerm, f, add)
      const texts = vals.size === 0 ? ['<undefined>'] : vals.values().map((x) => this.printText(x))
      lines = lines.flatMap((l) => texts.map((s) => [...l, s]))
    }
    for (const l of lines) print({ message: l.join(' '), location: loc })
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
