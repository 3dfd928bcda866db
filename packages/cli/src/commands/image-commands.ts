import type { Command } from '../command.ts'
import { imageDecrypt } from './image-decrypt.ts'
import { imageEncrypt } from './image-encrypt.ts'
import { imagePull } from './image-pull.ts'
import { imageSign } from './image-sign.ts'
import { keyproviderCmd } from './keyprovider-cmd.ts'
import { keyproviderServe } from './keyprovider-serve.ts'

/**
 * The image and key-provider commands, which need only @carapace/image and kbs-client: the
 * `carapace` binary dispatches `image …` and `keyprovider …` to these alone (image-main.ts), so a
 * guest's pull does not load the trust-plane packages.
 */
export const IMAGE_COMMANDS: readonly Command[] = [
  imageEncrypt,
  imageDecrypt,
  imageSign,
  imagePull,
  keyproviderServe,
  keyproviderCmd,
]
