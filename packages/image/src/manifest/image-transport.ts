import type { Readable } from 'node:stream'

/** A manifest or index exactly as stored: its digest is the sha256 of these bytes. */
export interface RawManifest {
  readonly bytes: Buffer
  readonly mediaType: string
  readonly digest: string
}

/** What a blob read must match. */
export interface BlobInfo {
  readonly digest: string
  readonly size: number
}

/** Where `putManifest` records a manifest. */
export type ManifestTarget = { readonly tag: string } | { readonly byDigest: true }

/**
 * Read side of an image store (OCI layout directory or registry repository), so that the pull
 * pipeline does not care which one it reads.
 */
export interface ImageSource {
  /** For messages: `oci:dir:tag`, `docker://host/repo:tag`. */
  readonly name: string
  /**
   * True when `getBlob` reads a file on this machine (an OCI layout): reading a blob twice costs no
   * download, so a verify-first pull authenticates it in place and reads it again instead of
   * spooling a copy. Absent (false) for registries.
   */
  readonly localBlobs?: boolean
  /**
   * The manifest or index named by `ref` (a tag or a `sha256:` digest), by default the one the
   * reference names. Its digest is verified when asked by digest; its size is limited.
   * Unknown tag or digest → OciError NOT_FOUND.
   */
  getManifest(ref?: string): Promise<RawManifest>
  /**
   * The blob's bytes as a stream that verifies length and sha256 as it goes: it fails with
   * SIZE_MISMATCH as soon as it exceeds `size`, and with SIZE_MISMATCH / DIGEST_MISMATCH at its
   * end. Consumers must not commit anything before the stream has ended without error.
   */
  getBlob(blob: BlobInfo): Promise<Readable>
  /** Tags in the repository (layout: its `org.opencontainers.image.ref.name`s). */
  listTags(): Promise<string[]>
  close(): Promise<void>
}

/** Write side of an image store. */
export interface ImageDestination {
  readonly name: string
  hasBlob(digest: string): Promise<boolean>
  /**
   * Stores a blob from a stream, computing its digest and size as it goes; when `expected` gives
   * them they are checked (DIGEST_MISMATCH / SIZE_MISMATCH) and nothing is stored on mismatch.
   */
  putBlob(content: Readable, expected?: Partial<BlobInfo>): Promise<BlobInfo>
  /**
   * Stores a manifest or index; by default under the reference's tag (or its digest, which must
   * then match). Returns the manifest's digest.
   */
  putManifest(
    manifest: { readonly bytes: Buffer; readonly mediaType: string },
    target?: ManifestTarget,
  ): Promise<string>
  close(): Promise<void>
}
