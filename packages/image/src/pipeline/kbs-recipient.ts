import { randomBytes as nodeRandomBytes } from 'node:crypto'
import { KEK_BYTES } from '../ocicrypt/annotation-packet.ts'
import { cocoKeyWrapper } from '../ocicrypt/coco-key-wrapper.ts'
import { parseKbsKeyId } from '../ocicrypt/kbs-key-id.ts'
import type { KeyWrapper } from '../ocicrypt/key-wrapper.ts'
import { PipelineError } from './pipeline-error.ts'

export type RandomBytes = (size: number) => Uint8Array

/** Stores a KEK as the KBS resource `path` (`repo/type/tag`); J's `kbsKekRegistrar` is one. */
export interface KekStore {
  register(path: string, kek: Uint8Array): Promise<void>
}

export interface KbsRecipientOptions {
  readonly store: KekStore
  /** KBS resource path of the KEK: `repo/type/tag`. */
  readonly keyPath: string
  readonly randomBytes?: RandomBytes
}

/**
 * A fresh KEK, stored in the KBS FIRST, and the `provider.attestation-agent` wrapper that seals
 * each layer key under it (CoCo AnnotationPacket, kid `kbs:///<keyPath>`). A failed registration
 * throws before any layer is read, so nothing is written for keys nobody could open.
 */
export async function kbsRecipient(options: KbsRecipientOptions): Promise<KeyWrapper> {
  const kid = `kbs:///${options.keyPath}`
  let path: string
  try {
    const { resource } = parseKbsKeyId(kid)
    path = `${resource.repository}/${resource.type}/${resource.tag}`
  } catch (cause) {
    throw new PipelineError('INVALID_ARGUMENT', `key path ${JSON.stringify(options.keyPath)} is not repo/type/tag`, {
      cause,
    })
  }
  const random = options.randomBytes ?? nodeRandomBytes
  const kek = Buffer.from(random(KEK_BYTES))
  try {
    await options.store.register(path, kek)
  } catch (cause) {
    throw new PipelineError('KEK_REGISTER_FAILED', `the KEK was not stored in the KBS: ${(cause as Error).message}`, {
      cause,
    })
  }
  return cocoKeyWrapper({ kid, kek, randomBytes: random })
}
