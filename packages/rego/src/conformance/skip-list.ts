/**
 * Cases that cannot apply to this engine, with the reason. Only what is out of scope by design
 * belongs here; anything the engine merely gets wrong counts as a failure.
 */
export interface SkipEntry {
  /** Matches a case whose note starts with this text. */
  readonly notePrefix: string
  readonly reason: string
}

/** Empty: every case of the suite applies to this engine. */
export const SKIP_LIST: readonly SkipEntry[] = []

/** The reason to skip a case, or undefined when it must run. */
export function skipReason(note: string, list: readonly SkipEntry[] = SKIP_LIST): string | undefined {
  return list.find((e) => note.startsWith(e.notePrefix))?.reason
}
