import { parseKbsKeyId } from '../ocicrypt/index.ts'

function resourceKey(kid: string): string | undefined {
  try {
    const { resource } = parseKbsKeyId(kid)
    return `${resource.repository}/${resource.type}/${resource.tag}`
  } catch {
    return undefined
  }
}

/**
 * A `resolveKek` for UnWrapKey from KEKs the operator holds, keyed by KBS resource path
 * (`repo/type/tag`), so `kbs:///r/t/x`, `kbs://host/r/t/x` and `/r/t/x` all find `r/t/x`.
 */
export function kekTable(
  entries: Iterable<readonly [string, Uint8Array]>,
): (kid: string) => Promise<Uint8Array | undefined> {
  const table = new Map<string, Uint8Array>()
  for (const [kid, kek] of entries) table.set(resourceKey(kid) ?? kid, kek)
  return (kid) => Promise.resolve(table.get(resourceKey(kid) ?? kid))
}
