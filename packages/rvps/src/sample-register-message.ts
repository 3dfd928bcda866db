import { RvpsError } from './errors.ts'
import type { JsonValue } from './json-value.ts'
import { REGISTER_MESSAGE_VERSION, type RegisterMessage } from './register-message.ts'

export interface SampleValueOptions {
  /** `--as-integer`: the value must be a decimal i32 (optional sign, digits only). */
  readonly asInteger?: boolean
  /** `--as-bool`: the value must be exactly `true` or `false`. */
  readonly asBool?: boolean
  /** `--as-single-value`: store the value itself instead of a one-element array. */
  readonly asSingleValue?: boolean
}

const I32 = /^[+-]?[0-9]+$/

function convert(value: string, options: SampleValueOptions): JsonValue {
  if (options.asInteger === true && options.asBool === true) {
    throw new RvpsError('INVALID_VALUE', '--as-integer and --as-bool cannot be used together')
  }
  if (options.asInteger === true) {
    // Rust's `str::parse::<i32>`: no whitespace, no fraction or exponent, within i32.
    const parsed = I32.test(value) ? Number(value) : Number.NaN
    if (!Number.isInteger(parsed) || parsed < -2147483648 || parsed > 2147483647) {
      throw new RvpsError('INVALID_VALUE', `${JSON.stringify(value)} is not a 32-bit integer`)
    }
    return parsed
  }
  if (options.asBool === true) {
    if (value === 'true') return true
    if (value === 'false') return false
    throw new RvpsError('INVALID_VALUE', `${JSON.stringify(value)} is not a boolean (true or false)`)
  }
  return value
}

/**
 * The message upstream kbs-client sends for `config set-sample-reference-value NAME VALUE`:
 * payload = standard base64 of the compact JSON `{NAME: [VALUE]}` (`{NAME: VALUE}` with
 * `asSingleValue`), the value a string unless converted by `asInteger`/`asBool`.
 * Properties are in the order serde_json writes them (`payload`, `type`, `version`), so
 * `JSON.stringify` of the result is byte-identical to the kbs-client request body.
 */
export function sampleRegisterMessage(name: string, value: string, options: SampleValueOptions = {}): RegisterMessage {
  const converted = convert(value, options)
  const rv: JsonValue = options.asSingleValue === true ? converted : [converted]
  const provenance = JSON.stringify({ [name]: rv })
  return {
    payload: Buffer.from(provenance, 'utf8').toString('base64'),
    type: 'sample',
    version: REGISTER_MESSAGE_VERSION,
  }
}
