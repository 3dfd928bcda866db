/** A received member value for an error message; long strings are cut so errors stay short. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  return value === undefined ? '(missing)' : value === null ? 'null' : typeof value
}
