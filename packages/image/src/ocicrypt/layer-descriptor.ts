/** The descriptor fields ocicrypt reads and rewrites; other fields pass through untouched. */
export interface LayerDescriptor {
  mediaType: string
  digest: string
  size: number
  annotations?: Record<string, string>
}
