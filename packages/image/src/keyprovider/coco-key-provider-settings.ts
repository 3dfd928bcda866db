import { readFile } from 'node:fs/promises'
import { createNodeFetch } from '@carapace/kbs-client'
import type { KeyProviderClient } from '../ocicrypt/index.ts'
import { KEK_BYTES } from '../ocicrypt/index.ts'
import { createCocoKeyProvider } from './coco-key-provider.ts'
import { kbsKekRegistrar } from './kek-registrar.ts'
import { kekTable } from './kek-table.ts'
import { KeyProviderError } from './keyprovider-error.ts'

/** What `carapace keyprovider serve` / `carapace keyprovider cmd` take from flags. */
export interface CocoKeyProviderSettings {
  /** `--kbs URL`: every new KEK is registered there (admin API). */
  kbsUrl?: string
  /** `--admin-key FILE`: the KBS admin private key PEM; required with `kbsUrl`. */
  kbsAdminKeyPath?: string
  /** `--kbs-cert FILE`: the KBS's TLS certificate (or its CA) when it is not publicly trusted. */
  kbsCaPath?: string
  /** `--unwrap-key KID=FILE`…: KEKs this provider may use to answer UnWrapKey (tests, migration). */
  unwrapKeys?: readonly { kid: string; path: string }[]
  /** `--allow-sample`: accept `sample=true` (public test KEK; development only). */
  allowSample?: boolean
  /**
   * `--allow-keypath`: honour `keypath=` (the caller names a file on the provider's host whose bytes
   * become a KEK in the KBS). Off unless true: any caller of the service could otherwise turn a
   * 32-byte host file into a KBS resource of its choosing.
   */
  allowKeyPath?: boolean
}

async function readSetting(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path)
  } catch (cause) {
    throw new KeyProviderError('INVALID_CONFIG', `cannot read ${what} ${path}`, { cause })
  }
}

/** The provider both transports drive, with files read and checked up front. */
export async function cocoKeyProviderFromSettings(settings: CocoKeyProviderSettings): Promise<KeyProviderClient> {
  if ((settings.kbsUrl === undefined) !== (settings.kbsAdminKeyPath === undefined)) {
    throw new KeyProviderError('INVALID_CONFIG', 'the KBS URL and the KBS admin key go together')
  }
  let registrar
  if (settings.kbsUrl !== undefined && settings.kbsAdminKeyPath !== undefined) {
    const adminKeyPem = (await readSetting(settings.kbsAdminKeyPath, 'KBS admin key')).toString('utf8')
    const ca =
      settings.kbsCaPath === undefined ? undefined : (await readSetting(settings.kbsCaPath, 'KBS CA')).toString()
    const fetch = ca === undefined ? undefined : createNodeFetch({ ca })
    registrar = kbsKekRegistrar({ url: settings.kbsUrl, adminKeyPem, ...(fetch === undefined ? {} : { fetch }) })
  }
  let resolveKek
  if (settings.unwrapKeys !== undefined && settings.unwrapKeys.length > 0) {
    const entries: [string, Uint8Array][] = []
    for (const { kid, path } of settings.unwrapKeys) {
      const kek = await readSetting(path, `KEK for ${kid}`)
      if (kek.length !== KEK_BYTES) {
        throw new KeyProviderError(
          'INVALID_CONFIG',
          `KEK file ${path} holds ${kek.length} bytes, a KEK is ${KEK_BYTES}`,
        )
      }
      entries.push([kid, kek])
    }
    resolveKek = kekTable(entries)
  }
  return createCocoKeyProvider({
    allowSample: settings.allowSample === true,
    allowKeyPath: settings.allowKeyPath === true,
    ...(registrar === undefined ? {} : { registrar }),
    ...(resolveKek === undefined ? {} : { resolveKek }),
  })
}
