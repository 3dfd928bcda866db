/** A clock the test moves by hand; starts at the real time so certificates and tokens stay valid. */
export interface ManualClock {
  readonly now: () => Date
  readonly nowMs: () => number
  advanceMinutes(minutes: number): void
}

export function createManualClock(start: Date = new Date()): ManualClock {
  let current = start.getTime()
  return {
    now: () => new Date(current),
    nowMs: () => current,
    advanceMinutes(minutes) {
      current += minutes * 60_000
    },
  }
}
