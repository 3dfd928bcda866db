import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  createKbsAdminClient,
  createNodeFetch,
  mintAdminToken,
  type Fetch,
  type KbsAdminClient,
} from '@carapace/kbs-client'
import { startKbsServer, type RunningKbs } from '@carapace/kbs'
import { createCapturingLogger, type CapturingLogger } from './capturing-logger.ts'
import { createKbsWire, type KbsWire } from './kbs-wire.ts'
import { createManualClock, type ManualClock } from './manual-clock.ts'
import { makeTempDataDir, type TempDataDir } from './temp-data-dir.ts'

export interface TrustPlaneOptions {
  /** Start the KBS with `--insecure-allow-sample-tee` (default true: the sample guest is released to). */
  readonly insecureAllowSampleTee?: boolean
}

/** A KBS on a loopback port with its own data dir, clock and log, and ways to talk to it. */
export interface TrustPlane {
  readonly kbs: RunningKbs
  readonly dataDir: TempDataDir
  readonly storageDir: string
  readonly logger: CapturingLogger
  readonly clock: ManualClock
  /** A fetch that trusts the KBS's certificate. */
  readonly fetch: Fetch
  readonly wire: KbsWire
  /** An admin JWT signed with the admin key the KBS generated (or one minted at `issuedAt`). */
  adminToken(options?: { readonly ttlSeconds?: number; readonly issuedAtMs?: number }): Promise<string>
  admin(token: string | undefined): KbsAdminClient
  /** A second KBS process-equivalent on the same data dir (same storage, keys and certificate). */
  startReplica(): Promise<RunningKbs>
  /** Closes the KBS, every replica, and removes the data dir. */
  close(): Promise<void>
}

export async function startTrustPlane(options: TrustPlaneOptions = {}): Promise<TrustPlane> {
  const dataDir = await makeTempDataDir()
  const logger = createCapturingLogger()
  const clock = createManualClock()
  const start = (): Promise<RunningKbs> =>
    startKbsServer({
      dataDir: dataDir.path,
      listen: '127.0.0.1:0',
      insecureAllowSampleTee: options.insecureAllowSampleTee ?? true,
      logger,
      now: clock.now,
    })
  const replicas: RunningKbs[] = []
  let kbs: RunningKbs
  try {
    kbs = await start()
  } catch (error) {
    await dataDir.remove()
    throw error
  }
  const fetch = createNodeFetch(kbs.certificatePem === undefined ? {} : { ca: kbs.certificatePem })
  const keyPath = kbs.adminPrivateKeyPath
  return {
    kbs,
    dataDir,
    storageDir: kbs.storageDir ?? join(dataDir.path, 'storage'),
    logger,
    clock,
    fetch,
    wire: createKbsWire(kbs.url, kbs.certificatePem),
    async adminToken(tokenOptions = {}) {
      if (keyPath === undefined) throw new Error('the KBS reported no admin private key')
      const pem = await readFile(keyPath, 'utf8')
      const issuedAt = tokenOptions.issuedAtMs ?? clock.nowMs()
      return mintAdminToken(pem, { ttlSeconds: tokenOptions.ttlSeconds ?? 300, now: () => issuedAt })
    },
    admin: (token) => createKbsAdminClient({ url: kbs.url, fetch, ...(token === undefined ? {} : { token }) }),
    async startReplica() {
      const replica = await start()
      replicas.push(replica)
      return replica
    },
    async close() {
      await Promise.all([kbs, ...replicas].map((server) => server.close()))
      await dataDir.remove()
    },
  }
}
