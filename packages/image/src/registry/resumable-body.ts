import { Readable } from 'node:stream'

/**
 * A body that survives dropped connections: when `first` fails mid-way, `reopen(offset)` is asked
 * for the rest (a Range request) after `backoff(failure)`, up to `attempts` tries in all. Errors
 * from the consumer side are not retried; what the bytes must hash to is checked downstream.
 */
export function resumableBody(
  first: Readable,
  reopen: (offset: number) => Promise<Readable>,
  attempts: number,
  backoff: (failure: number) => Promise<void>,
): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    let body = first
    let offset = 0
    for (let failures = 0; ;) {
      try {
        for await (const chunk of body) {
          offset += (chunk as Buffer).length
          yield chunk as Buffer
        }
        return
      } catch (e) {
        body.destroy()
        if (++failures >= attempts) throw e
        await backoff(failures)
        body = await reopen(offset)
      }
    }
  }
  return Readable.from(chunks(), { objectMode: false })
}
