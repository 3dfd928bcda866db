import type { BuiltinContext } from './builtin.ts'

/**
 * Accounting of builtin work against the evaluation's bounds (BuiltinContext.charge). A unit is
 * about one evaluation step: one element of a collection built or visited, CHARS_PER_UNIT
 * characters of text built. Builtins charge what they build before (or while) building it, so
 * that a request whose result would be huge stops at `maxSteps`/`timeoutMs` instead of running
 * for seconds or exhausting memory.
 */

/** Units gathered by a WorkMeter before it charges them (and the clock is looked at). */
export const CHARGE_BATCH = 10_000

/** Characters of text built that count as one unit (an element of a collection counts one). */
export const CHARS_PER_UNIT = 16

/**
 * Work below this many units is covered by the evaluation step that called the builtin; not
 * charging it keeps the clock out of the common small calls.
 */
export const FREE_UNITS = 8

/** Text shorter than this is within the free allowance. */
export const FREE_CHARS = FREE_UNITS * CHARS_PER_UNIT

/** Units for one public-key operation (a signature check, a key import): tens of microseconds. */
export const PUBLIC_KEY_UNITS = 500

/** Charge `units` of work done (or about to be done) in one go. */
export function chargeWork(ctx: BuiltinContext, units: number): void {
  if (units >= FREE_UNITS) ctx.charge?.(Math.ceil(units))
}

/** Charge building `chars` characters of text in one go. */
export function chargeText(ctx: BuiltinContext, chars: number): void {
  if (chars >= FREE_CHARS) ctx.charge?.(Math.ceil(chars / CHARS_PER_UNIT))
}

/** Counts work done step by step and charges it in batches: for loops whose length the input does not bound. */
export class WorkMeter {
  private pending = 0
  private readonly charge: ((units: number) => void) | undefined

  constructor(ctx: BuiltinContext | undefined) {
    this.charge = ctx?.charge
  }

  /** Count `units` of work; charged once a batch has gathered. */
  add(units: number): void {
    this.pending += units
    if (this.pending >= CHARGE_BATCH) this.flush()
  }

  /** Count `chars` characters of text built. */
  addText(chars: number): void {
    this.add(chars / CHARS_PER_UNIT)
  }

  /** At the end of the work: charge what has gathered unless it is within the free allowance. */
  done(): void {
    if (this.pending >= FREE_UNITS) this.flush()
    this.pending = 0
  }

  private flush(): void {
    const units = Math.ceil(this.pending)
    this.pending = 0
    this.charge?.(units)
  }
}
