// The `@carapace/rego/tooling` entry point: file loading, the policy test runner and the OPA
// conformance runner. Kept apart from the engine API because it uses the file system and threads.
export * from './loader/index.ts'
export * from './testing/index.ts'
export * from './conformance/index.ts'
export * from './query-report/index.ts'
