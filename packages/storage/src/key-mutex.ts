/**
 * Runs callbacks for the same id one after another, in call order, within this process (other
 * ids run freely). The fs backend uses it so that its own writers queue in memory instead of
 * polling the lock file.
 */
export class KeyMutex {
  readonly #tails = new Map<string, Promise<void>>()

  async run<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(id) ?? Promise.resolve()
    let release: () => void = () => undefined
    const done = new Promise<void>((resolve) => {
      release = resolve
    })
    const tail = previous.then(() => done)
    this.#tails.set(id, tail)
    await previous
    try {
      return await fn()
    } finally {
      release()
      if (this.#tails.get(id) === tail) this.#tails.delete(id)
    }
  }
}
