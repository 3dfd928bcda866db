/** A value as `JSON.parse` returns it: what a reference value may hold. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }
