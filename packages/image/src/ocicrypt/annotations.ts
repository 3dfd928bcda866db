import { decodeBase64Std, encodeBase64Std } from './base64-std.ts'
import { OcicryptError } from './ocicrypt-error.ts'

/** Every annotation ocicrypt owns starts with this; all are removed on decryption. */
export const ENCRYPTION_ANNOTATION_PREFIX = 'org.opencontainers.image.enc'
export const PUBOPTS_ANNOTATION = 'org.opencontainers.image.enc.pubopts'
export const KEYS_ANNOTATION_PREFIX = 'org.opencontainers.image.enc.keys.'

/** `jwe` → `org.opencontainers.image.enc.keys.jwe`; `provider.attestation-agent` → `…keys.provider.attestation-agent`. */
export function keysAnnotation(scheme: string): string {
  return KEYS_ANNOTATION_PREFIX + scheme
}

/** The wrapped-key annotations of a layer as `scheme → annotation value`. */
export function wrappedKeyAnnotations(annotations: Readonly<Record<string, string>> | undefined): Map<string, string> {
  const out = new Map<string, string>()
  const keys = Object.entries(annotations ?? {}).filter(([k]) => k.startsWith(KEYS_ANNOTATION_PREFIX))
  for (const [key, value] of keys.sort(([a], [b]) => (a < b ? -1 : 1))) {
    out.set(key.slice(KEYS_ANNOTATION_PREFIX.length), value)
  }
  return out
}

/** Annotation value = comma-separated base64std entries, one per wrapper output. */
export function joinKeyEntries(entries: readonly Uint8Array[]): string {
  return entries.map((e) => encodeBase64Std(e)).join(',')
}

export function splitKeyEntries(value: string, annotation: string): Buffer[] {
  return value.split(',').map((entry, i) => {
    if (entry === '') throw new OcicryptError('MALFORMED_ANNOTATION', `${annotation}: entry ${i} is empty`)
    return decodeBase64Std(entry, `${annotation} entry ${i}`)
  })
}

/** What containers/image keeps after decryption: every `org.opencontainers.image.enc*` key dropped. */
export function withoutEncryptionAnnotations(
  annotations: Readonly<Record<string, string>> | undefined,
): Record<string, string> | undefined {
  if (annotations === undefined) return undefined
  const kept = Object.entries(annotations).filter(([k]) => !k.startsWith(ENCRYPTION_ANNOTATION_PREFIX))
  return kept.length === 0 ? undefined : Object.fromEntries(kept)
}
