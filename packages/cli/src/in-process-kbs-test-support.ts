import { generateKeyPairSync } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAdminAuthorizer, createKbsApp, defaultKbsConfig, type EvidenceToEvaluate } from '@carapace/kbs'
import { createMemoryStorage } from '@carapace/storage'

export const FIXTURE_CERT_PATH = new URL('../fixtures/tls/server-cert.pem', import.meta.url).pathname
const FIXTURE_KEY_PATH = new URL('../fixtures/tls/server-key.pem', import.meta.url).pathname

export interface InProcessKbs {
  readonly url: string
  /** The data directory holding admin/admin-key.pem (the private key) as `kbs serve` lays it out. */
  readonly dataDir: string
  readonly adminKeyPath: string
  /** Evidence the attestation service was asked to appraise. */
  readonly appraised: EvidenceToEvaluate[]
  readonly policies: Map<string, string>
  readonly referenceValues: Map<string, unknown>
  /** The `ear.status` of the tokens issued from now on. */
  status: string
  /** The `ear.trustworthiness-vector` hardware claim of the tokens issued from now on (none when undefined). */
  hardware: number | undefined
  close(): Promise<void>
}

function part(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

async function answer(app: ReturnType<typeof createKbsApp>, base: string, req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const headers = new Headers()
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
    headers.append(req.rawHeaders[i] ?? '', req.rawHeaders[i + 1] ?? '')
  const method = req.method ?? 'GET'
  const body = method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks)
  const response = await app.fetch(new Request(`${base}${req.url ?? '/'}`, { method, headers, body }))
  const out: Record<string, string | string[]> = {}
  response.headers.forEach((value, key) => {
    if (key !== 'set-cookie') out[key] = value
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) out['set-cookie'] = cookies
  res.writeHead(response.status, out)
  res.end(Buffer.from(await response.arrayBuffer()))
}

/**
 * The KBS HTTP edge (createKbsApp) on loopback with the admin section of `carapace kbs serve`'s
 * default config (Ed25519 key files in a temp data dir), memory storage, and a stand-in
 * attestation service whose unsigned tokens carry the client's tee-pubkey and `status`.
 */
export async function startInProcessKbs(options: { readonly https: boolean }): Promise<InProcessKbs> {
  const dataDir = mkdtempSync(join(tmpdir(), 'carapace-cli-kbs-'))
  const config = defaultKbsConfig({ dataDir })
  const keys = generateKeyPairSync('ed25519')
  const generated = config.admin.generatedKey
  if (generated === undefined) throw new Error('the default config names no generated admin key')
  mkdirSync(join(dataDir, 'admin'), { recursive: true })
  writeFileSync(generated.privateKeyPath, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
  writeFileSync(generated.publicKeyPath, keys.publicKey.export({ type: 'spki', format: 'pem' }))
  const appraised: EvidenceToEvaluate[] = []
  const policies = new Map<string, string>()
  const referenceValues = new Map<string, unknown>()
  const state: { status: string; hardware?: number } = { status: 'affirming' }
  const app = createKbsApp({
    storage: createMemoryStorage(),
    admin: await createAdminAuthorizer(config.admin),
    tokenVerifier: {
      verify: (token) => {
        const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
          string,
          unknown
        >
        return Promise.resolve(claims)
      },
    },
    attestation: {
      evaluate: (request) => {
        appraised.push(...request.requests)
        const first = request.requests[0]
        const claims = {
          exp: Math.floor(Date.now() / 1000) + 300,
          submods: {
            cpu0: {
              'ear.status': state.status,
              ...(state.hardware === undefined ? {} : { 'ear.trustworthiness-vector': { hardware: state.hardware } }),
              'ear.veraison.annotated-evidence': {
                runtime_data_claims: { 'tee-pubkey': first?.runtimeData['tee-pubkey'] },
              },
            },
          },
        }
        return Promise.resolve({ token: `${part({ alg: 'none' })}.${part(claims)}.c2ln` })
      },
    },
    attestationAdmin: {
      setPolicy: (id, text) => {
        policies.set(id, text)
        return Promise.resolve()
      },
      registerReferenceValue: (message) => {
        const payload = (message as { payload?: unknown }).payload
        const values = JSON.parse(Buffer.from(String(payload), 'base64').toString('utf8')) as Record<string, unknown>
        for (const [name, value] of Object.entries(values)) referenceValues.set(name, value)
        return Promise.resolve()
      },
      queryReferenceValue: (id) => Promise.resolve(referenceValues.get(id)),
      listReferenceValues: () => Promise.resolve(Object.fromEntries(referenceValues)),
    },
  })
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    answer(app, base, req, res).catch((e: unknown) => {
      res.destroy(e instanceof Error ? e : new Error(String(e)))
    })
  }
  const server = options.https
    ? createHttpsServer({ cert: readFileSync(FIXTURE_CERT_PATH), key: readFileSync(FIXTURE_KEY_PATH) }, handler)
    : createHttpServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `${options.https ? 'https' : 'http'}://127.0.0.1:${String((server.address() as AddressInfo).port)}`
  return {
    url: base,
    dataDir,
    adminKeyPath: generated.privateKeyPath,
    appraised,
    policies,
    referenceValues,
    get status() {
      return state.status
    },
    set status(value: string) {
      state.status = value
    },
    get hardware() {
      return state.hardware
    },
    set hardware(value: number | undefined) {
      if (value === undefined) delete state.hardware
      else state.hardware = value
    },
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
