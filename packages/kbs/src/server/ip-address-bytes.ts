import { isIPv4, isIPv6 } from 'node:net'

/** The 4 or 16 network-order bytes of an IP address literal, or undefined when it is not one. */
export function ipAddressBytes(text: string): Uint8Array | undefined {
  if (isIPv4(text)) return Uint8Array.from(text.split('.').map(Number))
  if (!isIPv6(text)) return undefined
  // An embedded IPv4 tail (`::ffff:1.2.3.4`) becomes two hex groups first.
  const address = (text.split('%')[0] ?? text).replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a, b, c, d) =>
    [[a, b] as const, [c, d] as const].map(([hi, lo]) => ((Number(hi) << 8) | Number(lo)).toString(16)).join(':'),
  )
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)))
  const [head = '', tail] = address.split('::')
  const before = parse(head)
  const after = tail === undefined ? [] : parse(tail)
  const groups = [...before, ...Array<number>(8 - before.length - after.length).fill(0), ...after]
  const bytes = new Uint8Array(16)
  groups.forEach((group, i) => {
    bytes[2 * i] = group >> 8
    bytes[2 * i + 1] = group & 0xff
  })
  return bytes
}
