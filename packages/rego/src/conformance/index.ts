export { parseCaseFile, type ConformanceCase } from './case-file.ts'
export { findCaseFiles, type CaseFileRef } from './case-tree.ts'
export type { ConformanceEngine } from './engine.ts'
export { runCase, type CaseOutcome, type CaseStatus, type RunCaseOptions } from './run-case.ts'
export { runConformanceSuite, type CaseResult, type SuiteOptions } from './run-suite.ts'
export {
  formatCaseDetails,
  formatDirectoryLines,
  formatTotals,
  summarize,
  toJsonReport,
  type ConformanceSummary,
  type DirectorySummary,
} from './report.ts'
export { SKIP_LIST, skipReason, type SkipEntry } from './skip-list.ts'
