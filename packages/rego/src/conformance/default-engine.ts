import { compile } from '../engine.ts'
import { parseTerm } from '../parser/index.ts'
import type { ConformanceEngine } from './engine.ts'

/** This package's engine, as the conformance runner's workers load it. */
export const conformanceEngine: ConformanceEngine = {
  compile,
  parseTerm: (text) => parseTerm(text),
}
