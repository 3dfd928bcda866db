import { availableParallelism } from 'node:os'
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import { findCaseFiles, type CaseFileRef } from './case-tree.ts'
import type { CaseOutcome } from './run-case.ts'
import type { SkipEntry } from './skip-list.ts'
import type { WorkerConfig, WorkerReply, WorkerTask } from './worker-protocol.ts'

/** The outcome of one case, with where it came from. */
export interface CaseResult extends CaseOutcome {
  /** The case file's report name, e.g. `v1/aggregates/test-aggregates-0001.yaml`. */
  readonly file: string
  readonly directory: string
  /** Index in the file's case list; -1 for a file that could not be read. */
  readonly index: number
  readonly note: string
  /** Time the case took in its worker; for a case that was stopped, the time until then. */
  readonly durationMs: number
}

export interface SuiteOptions {
  /** Only cases whose file name or note contains this text. */
  readonly filter?: string
  /** Worker threads running cases in parallel (default: the CPU count, at most 8). */
  readonly jobs?: number
  /** Hard bound per case: the worker running it is stopped and the case fails (default 60 s). */
  readonly caseTimeoutMs?: number
  /** Evaluation bounds handed to the engine (default 5 s, engine default steps). */
  readonly evalTimeoutMs?: number
  readonly maxSteps?: number
  readonly skipList?: readonly SkipEntry[]
  /** URL of a module exporting `conformanceEngine` (default: this package's engine). */
  readonly engineModule?: string
  /** Heap limit per worker, so a runaway case fails alone (default 4096 MiB). */
  readonly workerHeapMb?: number
}

interface TaskEnd {
  /** False when the worker had to be stopped; the task resumes at `resumeFrom` in a fresh one. */
  readonly healthy: boolean
  readonly resumeFrom?: number
}

/**
 * Run every case file under `root` in worker threads and return one result per case, sorted by
 * file and index. A case that exceeds `caseTimeoutMs`, or crashes or exhausts its worker, fails
 * and the run continues with the next case in a fresh worker.
 */
export async function runConformanceSuite(root: string, options: SuiteOptions = {}): Promise<CaseResult[]> {
  const files = findCaseFiles(root)
  const results: CaseResult[] = []
  const queue: WorkerTask[] = files.map((file) => ({ file, fromIndex: 0 }))
  const config: WorkerConfig = {
    engineModule: options.engineModule ?? new URL('./default-engine.js', import.meta.url).href,
    timeoutMs: options.evalTimeoutMs,
    maxSteps: options.maxSteps,
    skipList: options.skipList,
    filter: options.filter,
  }
  const caseTimeoutMs = options.caseTimeoutMs ?? 60_000
  const record = (file: CaseFileRef, index: number, note: string, outcome: CaseOutcome, durationMs = 0): void => {
    results.push({ file: file.name, directory: file.directory, index, note, ...outcome, durationMs })
  }
  const spawn = (): Worker =>
    new Worker(new URL('./case-worker.js', import.meta.url), {
      workerData: config,
      resourceLimits: { maxOldGenerationSizeMb: options.workerHeapMb ?? 4096 },
    })

  const runTask = (worker: Worker, task: WorkerTask): Promise<TaskEnd> =>
    new Promise((done) => {
      let current: { index: number; note: string; startedAt: number } | undefined
      let timer: NodeJS.Timeout | undefined
      const finish = (end: TaskEnd): void => {
        clearTimeout(timer)
        worker.off('message', onMessage)
        worker.off('error', onError)
        worker.off('exit', onExit)
        done(end)
      }
      const abort = (why: string): void => {
        if (current) {
          const elapsed = performance.now() - current.startedAt
          record(task.file, current.index, current.note, { status: 'fail', message: why }, elapsed)
        } else if (options.filter === undefined || task.file.name.includes(options.filter)) {
          record(task.file, -1, '(file)', { status: 'fail', message: why })
        }
        finish(current ? { healthy: false, resumeFrom: current.index + 1 } : { healthy: false })
      }
      const onMessage = (m: WorkerReply): void => {
        switch (m.type) {
          case 'start':
            current = { index: m.index, note: m.note, startedAt: performance.now() }
            timer = setTimeout(() => {
              abort(`timed out after ${caseTimeoutMs} ms (the worker was stopped)`)
            }, caseTimeoutMs)
            break
          case 'case':
            clearTimeout(timer)
            current = undefined
            record(task.file, m.index, m.note, m.outcome, m.durationMs)
            break
          case 'done':
            finish({ healthy: true })
            break
          case 'file-error':
            if (options.filter === undefined || task.file.name.includes(options.filter)) {
              record(task.file, -1, '(file)', { status: 'fail', message: `cannot read case file: ${m.message}` })
            }
            finish({ healthy: true })
            break
        }
      }
      const onError = (e: Error): void => {
        abort(`worker crashed: ${e.message}`)
      }
      const onExit = (code: number): void => {
        abort(`worker exited with code ${code}`)
      }
      worker.on('message', onMessage)
      worker.on('error', onError)
      worker.on('exit', onExit)
      worker.postMessage(task)
    })

  const drain = async (): Promise<void> => {
    let worker: Worker | undefined
    try {
      for (let task = queue.shift(); task; task = queue.shift()) {
        worker ??= spawn()
        const end = await runTask(worker, task)
        if (!end.healthy) {
          const stopping = worker
          worker = undefined
          await stopping.terminate()
          if (end.resumeFrom !== undefined) queue.unshift({ file: task.file, fromIndex: end.resumeFrom })
        }
      }
    } finally {
      await worker?.terminate()
    }
  }

  const jobs = Math.max(1, Math.min(options.jobs ?? Math.min(availableParallelism(), 8), files.length))
  await Promise.all(Array.from({ length: jobs }, () => drain()))
  return results.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.index - b.index))
}
