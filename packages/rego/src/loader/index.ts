export { loadPolicyPaths, readValueFile, type PolicyFiles } from './load-policy-paths.ts'
export { mergeDataAt } from './data-tree.ts'
export { parseYamlValue, type YamlOptions } from './yaml-value.ts'
