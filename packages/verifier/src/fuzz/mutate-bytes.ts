import type { Pick } from './seeded-random.ts'

/** Values that sit on parser boundaries: lengths, signs, CBOR/DER tags. */
const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x18, 0x30, 0x40, 0xa0] as const

export type ByteMutation = 'truncate' | 'extend' | 'flip' | 'splice' | 'remove' | 'duplicate'
export const BYTE_MUTATIONS: readonly ByteMutation[] = [
  'truncate',
  'extend',
  'flip',
  'flip',
  'flip',
  'splice',
  'remove',
  'duplicate',
]

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts))
}

/** 1–4 bytes changed: xored with a random non-zero value, or set to a boundary value. */
function flip(bytes: Uint8Array, pick: Pick): Uint8Array {
  const out = Uint8Array.from(bytes)
  for (let i = 0, n = 1 + pick(4); i < n && out.length > 0; i++) {
    const at = pick(out.length)
    out[at] = pick(3) === 0 ? (INTERESTING[pick(INTERESTING.length)] ?? 0) : (out[at] ?? 0) ^ (1 + pick(255))
  }
  return out
}

/** A random range [start, end) of at most `max` bytes. */
function range(length: number, pick: Pick, max = 64): [number, number] {
  const start = pick(length)
  return [start, Math.min(length, start + 1 + pick(max))]
}

/**
 * One mutation of `bytes`, `kind` or a random one: cut short, random bytes appended, bytes flipped,
 * a chunk of the input copied over another place (splice), a range removed, or a range repeated.
 */
export function mutateBytes(bytes: Uint8Array, pick: Pick, kind?: ByteMutation): Uint8Array {
  switch (kind ?? BYTE_MUTATIONS[pick(BYTE_MUTATIONS.length)] ?? 'flip') {
    case 'truncate':
      return Uint8Array.from(bytes.subarray(0, pick(bytes.length)))
    case 'extend':
      return concat(
        bytes,
        Uint8Array.from({ length: 1 + pick(16) }, () => pick(256)),
      )
    case 'flip':
      return flip(bytes, pick)
    case 'splice': {
      const [from, to] = range(bytes.length, pick)
      const at = pick(bytes.length + 1)
      const out = Uint8Array.from(bytes)
      out.set(bytes.subarray(from, Math.min(to, from + out.length - at)), at)
      return out
    }
    case 'remove': {
      const [from, to] = range(bytes.length, pick)
      return concat(bytes.subarray(0, from), bytes.subarray(to))
    }
    case 'duplicate': {
      const [from, to] = range(bytes.length, pick)
      return concat(bytes.subarray(0, to), bytes.subarray(from, to), bytes.subarray(to))
    }
  }
}
