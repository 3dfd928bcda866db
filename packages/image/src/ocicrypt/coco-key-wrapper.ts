import { randomBytes as nodeRandomBytes } from 'node:crypto'
import { encodeAnnotationPacket, openWithKek, parseAnnotationPacket, sealWithKek } from './annotation-packet.ts'
import type { KeyUnwrapper, KeyWrapper } from './key-wrapper.ts'
import { OcicryptError } from './ocicrypt-error.ts'

/** The provider name CoCo's coco_keyprovider and CDH use. */
export const COCO_PROVIDER_NAME = 'attestation-agent'

export interface CocoKeyWrapperOptions {
  /** KBS resource URI of the KEK, e.g. `kbs:///default/image-kek/app`. */
  kid: string
  kek: Uint8Array
  /** Annotation `…keys.provider.<providerName>`; default `attestation-agent`. */
  providerName?: string
  randomBytes?: (size: number) => Uint8Array
}

/** Encrypting side: writes the CoCo AnnotationPacket (v1, A256GCM) directly, no provider process. */
export function cocoKeyWrapper(options: CocoKeyWrapperOptions): KeyWrapper {
  const random = options.randomBytes ?? nodeRandomBytes
  return {
    scheme: `provider.${options.providerName ?? COCO_PROVIDER_NAME}`,
    wrapKey(optsData: Uint8Array): Promise<Uint8Array> {
      return new Promise((resolve) => {
        resolve(encodeAnnotationPacket(sealWithKek(options.kid, options.kek, random(12), optsData)))
      })
    },
  }
}

export interface CocoKeyUnwrapperOptions {
  /** Fetches the KEK for a packet's `kid` (from the KBS via the CDH); `undefined` = not available here. */
  getKek: (kid: string) => Promise<Uint8Array | undefined>
  providerName?: string
}

/** Guest side: what CDH does for `provider.attestation-agent` annotations. */
export function cocoKeyUnwrapper(options: CocoKeyUnwrapperOptions): KeyUnwrapper {
  return {
    scheme: `provider.${options.providerName ?? COCO_PROVIDER_NAME}`,
    async unwrapKey(entry: Uint8Array): Promise<Uint8Array | undefined> {
      const packet = parseAnnotationPacket(entry)
      let kek: Uint8Array | undefined
      try {
        kek = await options.getKek(packet.kid)
      } catch (cause) {
        if (cause instanceof OcicryptError) throw cause
        throw new OcicryptError('KEY_UNWRAP_FAILED', `cannot get the KEK ${packet.kid}`, { cause })
      }
      return kek === undefined ? undefined : openWithKek(packet, kek)
    },
  }
}
