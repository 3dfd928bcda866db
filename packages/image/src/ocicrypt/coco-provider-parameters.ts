import { OcicryptError } from './ocicrypt-error.ts'

/** `provider:attestation-agent:<params>` as coco_keyprovider reads it (spec §4.5). */
export interface CocoProviderParameters {
  /** KBS resource URI for the KEK; coco_keyprovider invents `/default/image-kek/<uuid>` when absent. */
  keyid?: string
  /** Local file with the 32-byte KEK; absent = a fresh random KEK. */
  keypath?: string
  algorithm: 'A256GCM' | 'A256CTR'
  /** The well-known sample KEK, for tests only. */
  sample: boolean
}

const KEYS = new Set(['keyid', 'keypath', 'algorithm', 'sample'])

/** Parses `k=v::k=v` (values may contain `=` and `:`, e.g. `keyid=kbs:///a/b/c`). */
export function parseCocoProviderParameters(text: string): CocoProviderParameters {
  const out: CocoProviderParameters = { algorithm: 'A256GCM', sample: false }
  if (text === '' || text === 'Enabled') return out
  for (const pair of text.split('::')) {
    const eq = pair.indexOf('=')
    const key = eq < 0 ? pair : pair.slice(0, eq)
    const value = eq < 0 ? '' : pair.slice(eq + 1)
    if (!KEYS.has(key) || eq < 0) {
      throw new OcicryptError(
        'INVALID_OPTION',
        `attestation-agent provider parameter ${JSON.stringify(pair)} is not k=v`,
      )
    }
    if (key === 'keyid') out.keyid = value
    else if (key === 'keypath') out.keypath = value
    else if (key === 'sample') out.sample = value === 'true'
    else if (value === 'A256GCM' || value === 'A256CTR') out.algorithm = value
    else throw new OcicryptError('UNSUPPORTED_CIPHER', `attestation-agent wrap algorithm ${value}`)
  }
  return out
}
