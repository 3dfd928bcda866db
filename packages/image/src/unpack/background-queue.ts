/**
 * Runs fire-and-forget filesystem tasks (metadata on an open fd, close) with bounded concurrency,
 * so the next tar entry is parsed while the kernel finishes the previous one. The first failure
 * is remembered and rethrown by the next `add`, `check` or `settle`.
 */
export class BackgroundQueue {
  readonly #limit: number
  readonly #running = new Set<Promise<void>>()
  #failed = false
  #error: unknown

  constructor(limit: number) {
    this.#limit = limit
  }

  check(): void {
    if (this.#failed) throw this.#error
  }

  /**
   * Starts `task` once fewer than `limit` tasks run. `owned` (the task's file handle) is closed
   * here when the task is refused because an earlier one failed.
   */
  async add(owned: { close(): Promise<void> } | undefined, task: () => Promise<void>): Promise<void> {
    try {
      this.check()
      while (this.#running.size >= this.#limit) await Promise.race(this.#running)
      this.check()
    } catch (e) {
      await owned?.close().catch(() => undefined)
      throw e
    }
    const p: Promise<void> = task()
      .catch((e: unknown) => {
        if (!this.#failed) {
          this.#failed = true
          this.#error = e
        }
      })
      .finally(() => this.#running.delete(p))
    this.#running.add(p)
  }

  /** Waits for every task; rethrows the first failure. */
  async settle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running)
    this.check()
  }
}
