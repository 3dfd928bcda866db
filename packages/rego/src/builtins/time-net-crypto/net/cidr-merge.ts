import { maskIP, netString, to4, type IPNet } from './ip.ts'

/**
 * OPA's net.cidr_merge: networks become address ranges on a 128-bit line (IPv4 as ::ffff:a.b.c.d),
 * sorted by last then first address; adjacent or overlapping ranges merge, and each merged range
 * is written back as its minimal list of CIDR blocks. Unmerged networks keep their own text.
 */
export function mergeNetworks(networks: readonly IPNet[]): string[] {
  if (networks.length === 0) return []
  const ranges = networks.map(toRange)
  ranges.sort((a, b) => cmp(a.last, b.last) || cmp(a.first, b.first))
  for (let i = ranges.length - 1; i > 0; i--) {
    const cur = ranges[i] as Range
    const prev = ranges[i - 1] as Range
    if (previousIP(cur.first) <= prev.last) {
      ranges[i - 1] = { first: prev.first < cur.first ? prev.first : cur.first, last: cur.last, network: undefined }
      ranges.splice(i, 1)
    }
  }
  const out: string[] = []
  for (const r of ranges) {
    if (r.network) out.push(netString(r.network))
    else out.push(...rangeToCidrs(r.first, r.last))
  }
  return out
}

interface Range {
  first: bigint
  last: bigint
  network: IPNet | undefined
}

const V4_BASE = 0xffffn << 32n
const V4_END = V4_BASE + 0xffffffffn

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function toBig(bytes: Uint8Array): bigint {
  let n = 0n
  for (const b of bytes) n = (n << 8n) | BigInt(b)
  return n
}

function toRange(n: IPNet): Range {
  const masked = maskIP(n.ip, n.mask) ?? new Uint8Array(16)
  const v4 = to4(masked)
  const first = v4 ? V4_BASE + toBig(v4) : toBig(masked)
  const hostBits = BigInt(n.mask.length * 8 - countOnes(n.mask))
  return { first, last: first | ((1n << hostBits) - 1n), network: n }
}

function countOnes(mask: Uint8Array): number {
  let ones = 0
  for (const b of mask) for (let bit = 7; bit >= 0; bit--) if (b & (1 << bit)) ones++
  return ones
}

/** The address before `ip`, except that the zero addresses (v4 and v6) stay put. */
function previousIP(ip: bigint): bigint {
  return ip === 0n || ip === V4_BASE ? ip : ip - 1n
}

/** The minimal aligned CIDR blocks covering [first, last]. */
function rangeToCidrs(first: bigint, last: bigint): string[] {
  const isV4 = first >= V4_BASE && first <= V4_END
  const bits = isV4 ? 32 : 128
  const base = isV4 ? V4_BASE : 0n
  let lo = first - base
  const hi = last - base
  const out: string[] = []
  while (lo <= hi) {
    let size = 0
    while (size < bits) {
      const block = 1n << BigInt(size + 1)
      if (lo % block !== 0n || lo + block - 1n > hi) break
      size++
    }
    out.push(`${addressText(lo, isV4)}/${bits - size}`)
    lo += 1n << BigInt(size)
  }
  return out
}

function addressText(n: bigint, isV4: boolean): string {
  const bytes = new Uint8Array(isV4 ? 4 : 16)
  let x = n
  for (let i = bytes.length - 1; i >= 0; i--) {
    bytes[i] = Number(x & 0xffn)
    x >>= 8n
  }
  return netString({ ip: bytes, mask: new Uint8Array(bytes.length).fill(0xff) }).replace(/\/\d+$/, '')
}
