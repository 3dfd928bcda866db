import type { CommandIo } from './command.ts'

/** A CommandIo that keeps what a command prints, for tests. */
export interface CapturedIo extends CommandIo {
  readonly out: () => string
  readonly err: () => string
}

export function captureIo(): CapturedIo {
  let out = ''
  let err = ''
  return {
    stdout: (t) => {
      out += t
    },
    stderr: (t) => {
      err += t
    },
    out: () => out,
    err: () => err,
  }
}
