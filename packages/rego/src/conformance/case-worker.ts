import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { parentPort, workerData } from 'node:worker_threads'
import { parseCaseFile, type ConformanceCase } from './case-file.ts'
import type { ConformanceEngine } from './engine.ts'
import { runCase } from './run-case.ts'
import type { WorkerConfig, WorkerReply, WorkerTask } from './worker-protocol.ts'

// Runs conformance cases in a worker thread, so the suite runner can end a case that hangs.
const config = workerData as WorkerConfig
const { conformanceEngine } = (await import(config.engineModule)) as { conformanceEngine: ConformanceEngine }
const port = parentPort
const reply = (m: WorkerReply): void => port?.postMessage(m)

function selected(file: WorkerTask['file'], c: ConformanceCase): boolean {
  return config.filter === undefined || file.name.includes(config.filter) || c.note.includes(config.filter)
}

port?.on('message', (task: WorkerTask) => {
  let cases: ConformanceCase[]
  try {
    cases = parseCaseFile(readFileSync(task.file.path, 'utf8'))
  } catch (e) {
    reply({ type: 'file-error', message: e instanceof Error ? e.message : String(e) })
    return
  }
  for (const c of cases.slice(task.fromIndex)) {
    if (!selected(task.file, c)) continue
    reply({ type: 'start', index: c.index, note: c.note })
    const start = performance.now()
    const outcome = runCase(c, {
      engine: conformanceEngine,
      regoVersion: task.file.regoVersion,
      timeoutMs: config.timeoutMs,
      maxSteps: config.maxSteps,
      skipList: config.skipList,
    })
    reply({ type: 'case', index: c.index, note: c.note, outcome, durationMs: performance.now() - start })
  }
  reply({ type: 'done' })
})
