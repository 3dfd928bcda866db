import type { CaseFileRef } from './case-tree.ts'
import type { CaseOutcome } from './run-case.ts'
import type { SkipEntry } from './skip-list.ts'

/** Settings a case worker starts with (its `workerData`). */
export interface WorkerConfig {
  /** URL of a module exporting `conformanceEngine: ConformanceEngine`. */
  readonly engineModule: string
  readonly timeoutMs: number | undefined
  readonly maxSteps: number | undefined
  readonly skipList: readonly SkipEntry[] | undefined
  /** Only cases whose file name or note contains this text run. */
  readonly filter: string | undefined
}

/** Run the cases of one file, starting at `fromIndex` (after a case that hung, the next one). */
export interface WorkerTask {
  readonly file: CaseFileRef
  readonly fromIndex: number
}

export type WorkerReply =
  | { readonly type: 'start'; readonly index: number; readonly note: string }
  | {
      readonly type: 'case'
      readonly index: number
      readonly note: string
      readonly outcome: CaseOutcome
      readonly durationMs: number
    }
  | { readonly type: 'done' }
  | { readonly type: 'file-error'; readonly message: string }
