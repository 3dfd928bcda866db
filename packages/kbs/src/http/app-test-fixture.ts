import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { createAttestationService } from '@carapace/attestation-service'
import { exportTeePubKey, generateTeeKeyPair } from '@carapace/protocol'
import { createRvps } from '@carapace/rvps'
import { createMemoryStorage, type Storage } from '@carapace/storage'
import { SignJWT } from 'jose'
import { createAdminAuthorizer } from '../admin/admin-authorizer.ts'
import type { AttestationAdmin } from '../admin/attestation-admin.ts'
import type { AttestationEvaluation } from '../session/attestation-evaluator.ts'
import { KbsError } from './errors.ts'
import { createKbsApp } from './app.ts'
import type { KbsLogger } from './kbs-logger.ts'

/** One line the app logged. */
export interface LoggedLine {
  readonly level: string
  readonly message: string
  readonly fields: Readonly<Record<string, string | number>>
}

/** Test wiring of createKbsApp: memory storage, fake AS and token verifier, Ed25519 admin key. */
export async function kbsFixture(
  options: {
    payloadRequestSizeMiB?: number
    explanation?: unknown
    logger?: KbsLogger
    /** Attestation policies and reference values go to a real AS and RVPS on the same storage. */
    realAttestationAdmin?: boolean
  } = {},
) {
  const logged: LoggedLine[] = []
  const { storage, snapshot } = trackedMemoryStorage()
  const adminKeys = generateKeyPairSync('ed25519')
  const admin = await createAdminAuthorizer(
    {
      authorizationMode: 'AuthenticatedAuthorization',
      identityProviders: [{ issuer: 'test-issuer', audience: 'kbs', publicKeyUri: 'admin.pem' }],
      acls: [{ role: 'admin', allowedEndpoints: '^/kbs/v0/.+$' }],
    },
    { readPublicKey: () => Promise.resolve(adminKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString()) },
  )
  const teeKeys = generateTeeKeyPair('EC-P256')
  const teePubKey = exportTeePubKey(teeKeys)
  const evaluations: AttestationEvaluation[] = []
  const tokens = new Map<string, Record<string, unknown>>()
  let clock = new Date('2026-01-01T00:00:00Z')
  let counter = 0
  const claimsWithStatus = (status: string): Record<string, unknown> => ({
    submods: {
      cpu0: {
        'ear.status': status,
        'ear.veraison.annotated-evidence': { runtime_data_claims: { 'tee-pubkey': teePubKey } },
      },
    },
  })
  tokens.set('affirming-token', claimsWithStatus('affirming'))
  tokens.set('warning-token', claimsWithStatus('warning'))
  const app = createKbsApp({
    storage,
    admin,
    tokenVerifier: {
      verify: (token) => {
        const claims = tokens.get(token)
        return claims === undefined
          ? Promise.reject(new KbsError('TOKEN_VERIFIER', 'bad signature'))
          : Promise.resolve(claims)
      },
    },
    attestation: {
      evaluate: (request) => {
        evaluations.push(request)
        return Promise.resolve(
          options.explanation === undefined
            ? { token: 'affirming-token' }
            : { token: 'affirming-token', explanation: options.explanation },
        )
      },
    },
    attestationAdmin:
      options.realAttestationAdmin === true
        ? realAttestationAdmin(storage)
        : {
            setPolicy: () => Promise.resolve(),
            registerReferenceValue: () => Promise.resolve(),
            queryReferenceValue: (id) => Promise.resolve(id === 'measurement' ? ['1'] : undefined),
            listReferenceValues: () => Promise.resolve({ measurement: ['1'] }),
          },
    random: (size) => {
      counter += 1
      return new Uint8Array(size).fill(counter)
    },
    now: () => clock,
    logger: options.logger ?? { log: (level, message, fields) => logged.push({ level, message, fields }) },
    ...(options.payloadRequestSizeMiB === undefined ? {} : { payloadRequestSizeMiB: options.payloadRequestSizeMiB }),
  })
  const adminToken = (claims: Record<string, unknown>, key: KeyObject = adminKeys.privateKey): Promise<string> => {
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
      .setIssuer('test-issuer')
      .setAudience('kbs')
    return (claims['exp'] === undefined ? jwt.setExpirationTime('1h') : jwt).sign(key)
  }
  return {
    app,
    storage,
    snapshot,
    logged,
    teeKeys,
    teePubKey,
    evaluations,
    adminToken,
    advanceMinutes: (minutes: number) => {
      clock = new Date(clock.getTime() + minutes * 60_000)
    },
  }
}

export function upstreamError(variant: string, detail?: string): { type: string; detail?: string } {
  const type = `https://github.com/confidential-containers/kbs/errors/${variant}`
  return detail === undefined ? { type } : { type, detail }
}

function realAttestationAdmin(storage: Storage): AttestationAdmin {
  const rvps = createRvps({ storage })
  const service = createAttestationService({ storage, rvps })
  return {
    setPolicy: (id, text) => service.setPolicy(id, text),
    registerReferenceValue: async (message) => {
      await rvps.register(message)
    },
    queryReferenceValue: async (id) => (await rvps.query(id)) ?? undefined,
    listReferenceValues: async () =>
      Object.fromEntries((await rvps.list()).filter((entry) => !entry.expired).map((e) => [e.name, e.value])),
  }
}

/** Memory storage that remembers every namespace used, so a test can compare all of it. */
function trackedMemoryStorage(): { storage: Storage; snapshot: () => Promise<string> } {
  const inner = createMemoryStorage()
  const namespaces = new Set<string>()
  const seen = (namespace: string): string => {
    namespaces.add(namespace)
    return namespace
  }
  const storage: Storage = {
    get: (namespace, key) => inner.get(seen(namespace), key),
    put: (namespace, key, value) => inner.put(seen(namespace), key, value),
    putIfAbsent: (namespace, key, value) => inner.putIfAbsent(seen(namespace), key, value),
    compareAndSwap: (namespace, key, expected, next) => inner.compareAndSwap(seen(namespace), key, expected, next),
    delete: (namespace, key) => inner.delete(seen(namespace), key),
    list: (namespace, prefix) => inner.list(seen(namespace), prefix),
    close: () => inner.close(),
  }
  const snapshot = async (): Promise<string> => {
    const entries: string[] = []
    for (const namespace of [...namespaces].sort()) {
      for (const key of await inner.list(namespace)) {
        entries.push(`${namespace}/${key}=${Buffer.from((await inner.get(namespace, key)) ?? []).toString('base64')}`)
      }
    }
    return entries.join('\n')
  }
  return { storage, snapshot }
}
