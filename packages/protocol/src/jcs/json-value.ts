/** A value that JSON can represent exactly (what `JSON.parse` returns, minus prototypes). */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject

export interface JsonObject {
  [key: string]: JsonValue
}

/** True for `{…}` objects made by literals or `JSON.parse` (not arrays, class instances, Maps). */
export function isJsonObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
