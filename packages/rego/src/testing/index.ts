export { findTests, toRulePath, type PolicyTest } from './find-tests.ts'
export {
  runPolicyTests,
  type PolicyTestOptions,
  type PolicyTestResult,
  type PolicyTestStatus,
} from './run-policy-tests.ts'
export { formatTestReport } from './format-test-report.ts'
