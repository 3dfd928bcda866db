import { OciError } from '../reference/oci-error.ts'
import type { Descriptor, ImageIndex, Platform } from './manifest.ts'

const NODE_TO_OCI_ARCH: Readonly<Record<string, string>> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
}

/** Variants an index may leave out: `arm64` means `arm64/v8`, `arm` means `arm/v7`, `amd64` means `amd64/v1`. */
const DEFAULT_VARIANT: Readonly<Record<string, string>> = { arm64: 'v8', arm: 'v7', amd64: 'v1' }

/** The platform of this process as OCI spells it; containers are Linux whatever the host is. */
export function currentPlatform(): Platform {
  return { os: 'linux', architecture: NODE_TO_OCI_ARCH[process.arch] ?? process.arch }
}

/** Parses `os/arch[/variant]` (as `--platform` flags spell it). */
export function parsePlatform(s: string): Platform {
  const parts = s.split('/')
  const [os, architecture, variant] = parts
  if (parts.length < 2 || parts.length > 3 || !os || !architecture || variant === '') {
    throw new OciError('INVALID_ARGUMENT', `invalid platform ${JSON.stringify(s)}: expected os/arch[/variant]`)
  }
  return { os, architecture, ...(variant === undefined ? {} : { variant }) }
}

export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant === undefined ? '' : `/${p.variant}`}`
}

function normalizedVariant(p: Platform): string {
  return p.variant ?? DEFAULT_VARIANT[p.architecture] ?? ''
}

/**
 * Picks the index entry for `want`: same os and architecture; when `want` names a variant, the
 * same variant (with the defaults above). Without a wanted variant, an entry with the default
 * variant is preferred, else the first one. Entries without a platform never match.
 */
export function selectPlatform(index: ImageIndex, want: Platform): Descriptor {
  const candidates = index.manifests.filter(
    (d) => d.platform?.os === want.os && d.platform.architecture === want.architecture,
  )
  const wantVariant = want.variant === undefined ? undefined : normalizedVariant(want)
  const match =
    wantVariant === undefined
      ? (candidates.find(
          (d) => d.platform !== undefined && normalizedVariant(d.platform) === normalizedVariant(want),
        ) ?? candidates[0])
      : candidates.find((d) => d.platform !== undefined && normalizedVariant(d.platform) === wantVariant)
  if (match === undefined) {
    const offered = index.manifests.map((d) => (d.platform === undefined ? '?' : formatPlatform(d.platform))).join(', ')
    throw new OciError(
      'NO_MATCHING_PLATFORM',
      `no image for platform ${formatPlatform(want)} in the index (offers: ${offered || 'none'})`,
    )
  }
  return match
}
