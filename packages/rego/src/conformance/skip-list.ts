/**
 * Cases that cannot apply to this engine, with the reason. Only what is out of scope by design
 * belongs here; anything the engine merely gets wrong counts as a failure.
 */
export interface SkipEntry {
  /** Matches a case whose note starts with this text. */
  readonly notePrefix: string
  readonly reason: string
}

export const SKIP_LIST: readonly SkipEntry[] = [
  {
    notePrefix: 'invalidkeyerror/',
    reason:
      'checks the request validation of http.send, which the engine provides only as a stub to mock ' +
      '(it has no network access by design)',
  },
]

/** The reason to skip a case, or undefined when it must run. */
export function skipReason(note: string, list: readonly SkipEntry[] = SKIP_LIST): string | undefined {
  return list.find((e) => note.startsWith(e.notePrefix))?.reason
}
