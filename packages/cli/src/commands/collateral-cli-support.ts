import { CollateralError, VerificationError } from '@carapace/verifier'
import type { CommandIo } from '../command.ts'
import { UsageError } from '../flags.ts'
import { EXIT_FAILURE } from '../output.ts'

/** `--at`: an RFC 3339 date-time with a zone (`Z` or ±hh:mm). */
export function timeFlag(name: string, text: string | undefined): Date | undefined {
  if (text === undefined) return undefined
  const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/
  const date = new Date(text)
  if (!rfc3339.test(text) || Number.isNaN(date.getTime())) {
    throw new UsageError(
      `--${name}: expected an RFC 3339 time such as 2025-07-19T10:00:00Z, got ${JSON.stringify(text)}`,
    )
  }
  return date
}

/** A hex flag (optional `0x`), as bytes. */
export function hexFlag(name: string, text: string | undefined): Uint8Array | undefined {
  if (text === undefined) return undefined
  const hex = text.startsWith('0x') ? text.slice(2) : text
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex))
    throw new UsageError(`--${name}: expected hex bytes, got ${JSON.stringify(text)}`)
  return new Uint8Array(Buffer.from(hex, 'hex'))
}

function causes(error: unknown): string {
  const out: string[] = []
  let cause = error instanceof Error ? error.cause : undefined
  while (cause instanceof Error && out.length < 4) {
    const code = cause instanceof VerificationError || cause instanceof CollateralError ? `${cause.code}: ` : ''
    out.push(`  caused by ${code}${cause.message}`)
    cause = cause.cause
  }
  return out.map((l) => `${l}\n`).join('')
}

/**
 * Verification and collateral failures as one clear message naming the code and the failed check
 * (the message says which); undefined for anything else (left to runAction as internal).
 */
export function reportTypedFailure(name: string, io: CommandIo, error: unknown): number | undefined {
  if (error instanceof VerificationError) {
    io.stderr(`${name}: verification failed: ${error.code}: ${error.message}\n${causes(error)}`)
    return EXIT_FAILURE
  }
  if (error instanceof CollateralError) {
    io.stderr(`${name}: collateral ${error.code}: ${error.message}\n${causes(error)}`)
    return EXIT_FAILURE
  }
  return undefined
}
