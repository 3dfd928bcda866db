import { readFileSync } from 'node:fs'
import { builtin, type BuiltinDef } from '../../builtin.ts'
import { builtinError, stringArg } from '../../args.ts'
import { RegoSet, type Value } from '../../../value/value.ts'
import { ipString, parseIP } from './ip.ts'

const HOSTS_FILE = '/etc/hosts'

/** Addresses the hosts file gives `name` (case-insensitive), as Go's resolver reads it first. */
export function hostsAddresses(hostsText: string, name: string): string[] {
  const want = name.toLowerCase().replace(/\.$/, '')
  const out: string[] = []
  for (const raw of hostsText.split('\n')) {
    const line = raw.replace(/#.*/, '').trim()
    if (line === '') continue
    const [addr, ...names] = line.split(/\s+/)
    if (addr === undefined || !names.some((n) => n.toLowerCase().replace(/\.$/, '') === want)) continue
    const ip = parseIP(addr.replace(/%.*/, ''))
    if (ip) out.push(ipString(ip))
  }
  return out
}

function readHosts(): string {
  try {
    return readFileSync(HOSTS_FILE, 'utf8')
  } catch {
    return ''
  }
}

/**
 * net.lookup_ip_addr without a network: IP literals resolve to themselves and names come from
 * the hosts file, which is what Go's resolver consults before DNS. Anything needing DNS is an
 * error (evaluation is synchronous and has no resolver).
 */
export function lookupIPAddr(name: string, hostsText: () => string = readHosts): Value {
  const literal = parseIP(name)
  if (literal) return RegoSet.from([ipString(literal)])
  const addrs = hostsAddresses(hostsText(), name)
  if (addrs.length === 0)
    throw builtinError(
      `lookup ${name}: DNS resolution is not available (only IP literals and hosts-file names resolve)`,
    )
  return RegoSet.from(addrs)
}

export const lookupBuiltins: readonly BuiltinDef[] = [
  builtin(
    'net.lookup_ip_addr',
    1,
    (args, ctx) => {
      const name = stringArg(args, 0)
      const key = `net.lookup_ip_addr:${name}`
      const cached = ctx.memo.get(key)
      if (cached !== undefined) return cached
      const result = lookupIPAddr(name)
      ctx.memo.set(key, result)
      return result
    },
    { nondeterministic: true },
  ),
]
