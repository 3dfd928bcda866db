/**
 * IP addresses and networks with the semantics of Go's `net` package: an IP is 4 or 16 bytes
 * (ParseIP always yields 16, IPv4 as ::ffff:a.b.c.d), a network is an IP plus a mask of 4 or 16
 * bytes, and printing follows Go (IPv4-mapped addresses print dotted, IPv6 per RFC 5952).
 */

export type IP = Uint8Array

export interface IPNet {
  ip: IP
  mask: Uint8Array
}

const V4_IN_V6_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]

export function v4(a: number, b: number, c: number, d: number): IP {
  return Uint8Array.from([...V4_IN_V6_PREFIX, a, b, c, d])
}

/** netip.ParseAddr: IPv4 dotted quad (no leading zeros) or IPv6 text; zones rejected. */
function parseAddr(s: string): { bytes: IP; is4: boolean } | undefined {
  for (const ch of s) {
    if (ch === '.') {
      const b = parseIPv4(s)
      return b && { bytes: b, is4: true }
    }
    if (ch === ':') {
      const b = parseIPv6(s)
      return b && { bytes: b, is4: false }
    }
    if (ch === '%') return undefined
  }
  return undefined
}

function parseIPv4(s: string): IP | undefined {
  const fields = s.split('.')
  if (fields.length !== 4) return undefined
  const out: number[] = []
  for (const f of fields) {
    if (!/^[0-9]{1,3}$/.test(f) || (f.length > 1 && f[0] === '0')) return undefined
    const n = Number(f)
    if (n > 255) return undefined
    out.push(n)
  }
  return v4(out[0] as number, out[1] as number, out[2] as number, out[3] as number)
}

function parseIPv6(s: string): IP | undefined {
  if (s.includes('%')) return undefined
  const ip = new Uint8Array(16)
  let ellipsis = -1
  let i = 0
  let rest = s
  if (rest.startsWith('::')) {
    ellipsis = 0
    rest = rest.slice(2)
    if (rest === '') return ip
  }
  while (i < 16) {
    const m = /^[0-9a-fA-F]{1,4}/.exec(rest)
    if (!m) return undefined
    // An embedded IPv4 address may end the text.
    if (rest.length > m[0].length && rest[m[0].length] === '.') {
      if (ellipsis < 0 && i !== 12) return undefined
      if (i + 4 > 16) return undefined
      const v = parseIPv4(rest)
      if (!v) return undefined
      ip.set(v.subarray(12), i)
      i += 4
      rest = ''
      break
    }
    if (m[0].length > 4) return undefined
    const n = parseInt(m[0], 16)
    ip[i] = n >> 8
    ip[i + 1] = n & 0xff
    i += 2
    rest = rest.slice(m[0].length)
    if (rest === '') break
    if (rest[0] !== ':' || rest.length === 1) return undefined
    rest = rest.slice(1)
    if (rest[0] === ':') {
      if (ellipsis >= 0) return undefined
      ellipsis = i
      rest = rest.slice(1)
      if (rest === '') break
    }
  }
  if (rest !== '') return undefined
  if (i < 16) {
    if (ellipsis < 0) return undefined
    const n = 16 - i
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j] as number
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0
  } else if (ellipsis >= 0) {
    return undefined
  }
  return ip
}

/** net.ParseIP: a 16-byte address, or undefined. */
export function parseIP(s: string): IP | undefined {
  return parseAddr(s)?.bytes
}

/** IP.To4: the 4-byte form of an IPv4 (or IPv4-mapped) address. */
export function to4(ip: IP): IP | undefined {
  if (ip.length === 4) return ip
  if (ip.length === 16 && V4_IN_V6_PREFIX.every((b, i) => ip[i] === b)) return ip.subarray(12)
  return undefined
}

export function cidrMask(ones: number, bits: number): Uint8Array {
  const m = new Uint8Array(bits / 8)
  for (let i = 0; i < m.length; i++) {
    const n = Math.max(0, Math.min(8, ones - i * 8))
    m[i] = (0xff << (8 - n)) & 0xff
  }
  return m
}

/** IP.Mask with Go's 4/16-byte reconciliation; undefined when the lengths cannot match. */
export function maskIP(ip: IP, mask: Uint8Array): IP | undefined {
  let m = mask
  let x = ip
  if (m.length === 16 && x.length === 4 && m.subarray(0, 12).every((b) => b === 0xff)) m = m.subarray(12)
  if (m.length === 4 && x.length === 16 && V4_IN_V6_PREFIX.every((b, i) => x[i] === b)) x = x.subarray(12)
  if (x.length !== m.length) return undefined
  return x.map((b, i) => b & (m[i] as number))
}

export class CidrParseError extends Error {
  constructor(text: string) {
    super(`invalid CIDR address: ${text}`)
    this.name = 'CidrParseError'
  }
}

/** net.ParseCIDR: the address as written (16 bytes) and its network (masked). */
export function parseCIDR(s: string): { ip: IP; net: IPNet } {
  const slash = s.indexOf('/')
  if (slash < 0) throw new CidrParseError(s)
  const addr = parseAddr(s.slice(0, slash))
  const maskText = s.slice(slash + 1)
  if (!addr || !/^[0-9]+$/.test(maskText)) throw new CidrParseError(s)
  const bits = addr.is4 ? 32 : 128
  const ones = maskText.length > 8 ? Infinity : Number(maskText)
  if (ones > bits) throw new CidrParseError(s)
  const mask = cidrMask(ones, bits)
  return { ip: addr.bytes, net: { ip: maskIP(addr.bytes, mask) as IP, mask } }
}

function networkNumberAndMask(n: IPNet): { ip: IP; mask: Uint8Array } | undefined {
  let ip = to4(n.ip)
  if (!ip) {
    ip = n.ip
    if (ip.length !== 16) return undefined
  }
  let mask = n.mask
  if (mask.length === 4) {
    if (ip.length !== 4) return undefined
  } else if (mask.length === 16) {
    if (ip.length === 4) mask = mask.subarray(12)
  } else {
    return undefined
  }
  return { ip, mask }
}

/** IPNet.Contains. */
export function netContains(n: IPNet, addr: IP): boolean {
  const nm = networkNumberAndMask(n)
  if (!nm) return false
  const ip = to4(addr) ?? addr
  if (ip.length !== nm.ip.length) return false
  for (let i = 0; i < ip.length; i++) {
    const m = nm.mask[i] as number
    if (((nm.ip[i] as number) & m) !== ((ip[i] as number) & m)) return false
  }
  return true
}

/** IPMask.Size: prefix length and total bits, or [0, 0] for a non-canonical mask. */
export function maskSize(mask: Uint8Array): [number, number] {
  let ones = 0
  let seenZero = false
  for (const b of mask) {
    for (let bit = 7; bit >= 0; bit--) {
      if (b & (1 << bit)) {
        if (seenZero) return [0, 0]
        ones++
      } else {
        seenZero = true
      }
    }
  }
  return [ones, mask.length * 8]
}

/** IP.String as Go prints it. */
export function ipString(ip: IP): string {
  const p4 = to4(ip)
  if (p4) return Array.from(p4).join('.')
  if (ip.length !== 16) return '?'
  const groups: number[] = []
  for (let i = 0; i < 16; i += 2) groups.push(((ip[i] as number) << 8) | (ip[i + 1] as number))
  let zeroStart = -1
  let zeroLen = 0
  for (let i = 0; i < 8; i++) {
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i >= 2 && j - i > zeroLen) {
      zeroStart = i
      zeroLen = j - i
    }
    i = Math.max(i, j - 1)
  }
  let out = ''
  for (let i = 0; i < 8; i++) {
    if (i === zeroStart) {
      out += '::'
      i += zeroLen - 1
      continue
    }
    if (out !== '' && !out.endsWith(':')) out += ':'
    out += (groups[i] as number).toString(16)
  }
  return out
}

/** IPNet.String: the network number (not re-masked) and prefix length. */
export function netString(n: IPNet): string {
  const nm = networkNumberAndMask(n)
  if (!nm) return '<nil>'
  const [ones, bits] = maskSize(nm.mask)
  if (bits === 0) return `${ipString(nm.ip)}/${Buffer.from(nm.mask).toString('hex')}`
  return `${ipString(nm.ip)}/${ones}`
}
