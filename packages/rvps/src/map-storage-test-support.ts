/**
 * A Map-based storage for the tests of this package, checking keys with the `Storage` rules
 * (`[A-Za-z0-9._/-]`, 1–256 characters, no leading `/` or `.`, no empty, `.` or `..` segments).
 * Structurally a `Storage`; `failing` makes every call reject, to test error wrapping.
 */
const KEY = /^[A-Za-z0-9._/-]{1,256}$/

function checkKey(key: string): void {
  if (!KEY.test(key) || key.startsWith('/') || key.startsWith('.')) throw new TypeError(`invalid key ${key}`)
  if (key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new TypeError(`invalid key ${key}`)
  }
}

export class MapStorage {
  readonly entries = new Map<string, Uint8Array>()
  failing = false

  private address(namespace: string, key: string): string {
    if (this.failing) throw new Error('storage is down')
    checkKey(namespace)
    checkKey(key)
    return `${namespace}\u0000${key}`
  }

  get(namespace: string, key: string): Promise<Uint8Array | undefined> {
    const value = this.entries.get(this.address(namespace, key))
    return Promise.resolve(value === undefined ? undefined : value.slice())
  }

  put(namespace: string, key: string, value: Uint8Array): Promise<void> {
    this.entries.set(this.address(namespace, key), value.slice())
    return Promise.resolve()
  }

  putIfAbsent(namespace: string, key: string, value: Uint8Array): Promise<boolean> {
    const address = this.address(namespace, key)
    if (this.entries.has(address)) return Promise.resolve(false)
    this.entries.set(address, value.slice())
    return Promise.resolve(true)
  }

  compareAndSwap(namespace: string, key: string, expected: Uint8Array, next: Uint8Array | undefined): Promise<boolean> {
    const address = this.address(namespace, key)
    const current = this.entries.get(address)
    if (current === undefined || Buffer.compare(current, expected) !== 0) return Promise.resolve(false)
    if (next === undefined) this.entries.delete(address)
    else this.entries.set(address, next.slice())
    return Promise.resolve(true)
  }

  delete(namespace: string, key: string): Promise<boolean> {
    return Promise.resolve(this.entries.delete(this.address(namespace, key)))
  }

  list(namespace: string, prefix = ''): Promise<string[]> {
    if (this.failing) return Promise.reject(new Error('storage is down'))
    const start = `${namespace}\u0000${prefix}`
    const keys = [...this.entries.keys()]
      .filter((address) => address.startsWith(start))
      .map((address) => address.slice(namespace.length + 1))
    return Promise.resolve(keys.sort())
  }

  close(): Promise<void> {
    return Promise.resolve()
  }
}
