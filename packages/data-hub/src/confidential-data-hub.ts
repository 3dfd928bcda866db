import { AttesterError, type Attester } from '@carapace/attester'
import { createKbsClient, KbsClientError, type Fetch } from '@carapace/kbs-client'
import type { JsonValue, Tee, TeeKeyPair } from '@carapace/protocol'
import { CdhError } from './cdh-error.ts'
import { fetchWithRequestId } from './request-id.ts'

export interface ConfidentialDataHubOptions {
  /** KBS base URL (the `/kbs/v0` prefix is added). */
  readonly kbsUrl: string
  readonly attester: Attester
  /** Device attesters: their evidence goes into `additional_evidence` and `/aa/additional-evidence`. */
  readonly deviceAttesters?: readonly Attester[]
  /** Init-data TOML sent (and bound) at every attestation. */
  readonly initData?: string
  readonly fetch: Fetch
  /** Milliseconds since the epoch, for token expiry. */
  readonly now?: () => number
}

/** What the REST routes ask of the guest: AA and CDH in one. */
export interface ConfidentialDataHub {
  readonly tee: Tee
  readonly additionalTees: readonly Tee[]
  /** The decrypted bytes of KBS resource `repo/type/tag` (path validated by the caller). */
  getResource(path: string): Promise<Uint8Array>
  /** AA `GetToken`: for `kbs`, JSON `{"token":…,"tee_keypair":<PEM>}`. */
  getToken(tokenType: string): Promise<Uint8Array>
  /** AA `GetEvidence`: the primary attester's evidence for these report-data bytes, as JSON text. */
  getEvidence(reportData: Uint8Array): Promise<Uint8Array>
  /** AA `GetAdditionalEvidence`: `{"<tee>": evidence…}` over the device attesters; empty without any. */
  getAdditionalEvidence(reportData: Uint8Array): Promise<Uint8Array>
}

/**
 * One KBS identity per CDH: a single TEE key, a token cached until its `exp`, shared by every
 * resource fetch. Attestation runs on its own client and at most once at a time (its RCAR session
 * cookie must not be interleaved); resources are fetched concurrently with the token as a Bearer
 * passport, and a 401 re-attests (joining an attestation already under way).
 */
export function createConfidentialDataHub(options: ConfidentialDataHubOptions): ConfidentialDataHub {
  const deviceAttesters = options.deviceAttesters ?? []
  const common = {
    url: options.kbsUrl,
    fetch: fetchWithRequestId(options.fetch),
    ...(options.now === undefined ? {} : { now: options.now }),
  }
  const attesting = createKbsClient({
    ...common,
    attester: options.attester,
    deviceAttesters,
    ...(options.initData === undefined ? {} : { initData: options.initData }),
  })
  let attestation: Promise<{ token: string; teeKey: TeeKeyPair }> | undefined
  const attestOnce = (): Promise<{ token: string; teeKey: TeeKeyPair }> => {
    attestation ??= attesting
      .attest()
      .then((token) => ({ token, teeKey: attesting.teeKey }))
      .finally(() => {
        attestation = undefined
      })
    return attestation
  }
  const kbs = createKbsClient({ ...common, tokenProvider: attestOnce })

  return {
    tee: options.attester.tee,
    additionalTees: deviceAttesters.map((a) => a.tee),
    getResource: (path) => kbsCall(`get resource kbs:///${path}`, () => kbs.getResource(path)),
    async getToken(tokenType) {
      if (tokenType !== 'kbs') {
        throw new CdhError('UNSUPPORTED_TOKEN_TYPE', `Unsupported token type ${JSON.stringify(tokenType)}`)
      }
      const token = await kbsCall('get kbs token', () => kbs.getToken())
      const body = { token, tee_keypair: privateKeyPem(kbs.teeKey) }
      return new Uint8Array(Buffer.from(JSON.stringify(body), 'utf8'))
    },
    async getEvidence(reportData) {
      return jsonBytes(await evidenceOf(options.attester, reportData))
    },
    async getAdditionalEvidence(reportData) {
      if (deviceAttesters.length === 0) return new Uint8Array(0)
      const map: Record<string, JsonValue> = {}
      for (const device of deviceAttesters) map[device.tee] = await evidenceOf(device, reportData)
      return jsonBytes(map)
    },
  }
}

/** The TEE private key as AA hands it out: PKCS#8 PEM for EC, PKCS#1 for RSA. */
function privateKeyPem(key: TeeKeyPair): string {
  return key.privateKey.export({ type: key.kty === 'RSA' ? 'pkcs1' : 'pkcs8', format: 'pem' }).toString()
}

async function kbsCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (cause) {
    if (cause instanceof KbsClientError) {
      const info = cause.info
      const detail =
        info === undefined || cause.message.includes(info.detail) ? '' : ` (last answer: ${info.detail}, ${info.type})`
      throw new CdhError('KBS_FAILED', `${what} failed: ${cause.message}${detail}`, {
        cause,
        ...(cause.status === undefined ? {} : { kbsStatus: cause.status }),
        ...(cause.info === undefined ? {} : { kbsErrorType: cause.info.type }),
      })
    }
    if (cause instanceof AttesterError) {
      throw new CdhError('ATTESTER_FAILED', `${what} failed: ${cause.message}`, { cause })
    }
    throw cause
  }
}

async function evidenceOf(attester: Attester, reportData: Uint8Array): Promise<JsonValue> {
  try {
    return await attester.evidence(reportData)
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause)
    throw new CdhError('ATTESTER_FAILED', `get ${attester.tee} evidence failed: ${detail}`, { cause })
  }
}

function jsonBytes(value: JsonValue): Uint8Array {
  return new Uint8Array(Buffer.from(JSON.stringify(value), 'utf8'))
}
