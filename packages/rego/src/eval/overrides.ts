import { nodeKey } from '../compiler/context.ts'
import { RegoObject, type Value } from '../value/value.ts'

/** Documents replaced by `with data.x.y as v`, as a persistent trie over data paths. */
export interface Overrides {
  readonly value: Value | undefined
  readonly children: ReadonlyMap<string, { readonly key: Value; readonly node: Overrides }>
}

export function withOverride(o: Overrides | undefined, path: readonly Value[], value: Value): Overrides {
  if (path.length === 0) return { value, children: new Map() }
  const [first, ...rest] = path as [Value, ...Value[]]
  const children = new Map(o?.children ?? [])
  const k = nodeKey(first)
  children.set(k, { key: first, node: withOverride(children.get(k)?.node, rest, value) })
  return { value: o?.value, children }
}

export function overrideChild(o: Overrides | undefined, key: Value): Overrides | undefined {
  return o?.children.get(nodeKey(key))?.node
}

/** Apply the overrides below a node to a value computed there. */
export function applyOverrides(v: Value | undefined, o: Overrides): Value | undefined {
  if (o.value !== undefined) return o.value
  if (o.children.size === 0) return v
  const obj = v instanceof RegoObject ? v.clone() : new RegoObject()
  for (const { key, node } of o.children.values()) {
    const cur = applyOverrides(obj.get(key), node)
    if (cur !== undefined) obj.set(key, cur)
  }
  return obj
}
