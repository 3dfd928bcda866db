import type { KbsConfig, KbsConfigWarning } from '../config/index.ts'
import type { KbsLogger } from '../http/kbs-logger.ts'

export const DEFAULT_DATA_DIR = './carapace-data'

export interface KbsServerOptions {
  /** Absent: `defaultKbsConfig({ dataDir })`. */
  readonly config?: KbsConfig
  /** The file `config` came from, for messages only. */
  readonly configPath?: string
  /** Warnings from loading `config` (deprecated keys): logged at start. */
  readonly configWarnings?: readonly KbsConfigWarning[]
  /** Default './carapace-data'. */
  readonly dataDir?: string
  /** 'host:port' replacing `http_server.sockets`, e.g. '127.0.0.1:0'. */
  readonly listen?: string
  /**
   * Extra DNS names / IP addresses for a certificate generated now (it always names localhost,
   * 127.0.0.1, ::1 and the specific hosts listened on). An existing certificate is not changed.
   */
  readonly tlsSubjectAltNames?: readonly string[]
  /** Development only: sample TEE evidence may be affirming (logged loudly). Not settable in the config file. */
  readonly insecureAllowSampleTee?: boolean
  /**
   * `--collateral DIR`: a flat folder of vendor collateral (docs/collateral.md) for the hardware
   * verifiers; with it no vendor service (AMD KDS, Intel PCS) is asked (air-gapped sites).
   */
  readonly collateralDir?: string
  /** How collateral is fetched from AMD KDS / Intel PCS (tests inject a fake; default: global fetch). */
  readonly fetch?: typeof globalThis.fetch
  /** Default: JSON lines on stderr. */
  readonly logger?: KbsLogger
  readonly now?: () => Date
  /** How often abandoned expired sessions are removed (default 60 s). */
  readonly sessionSweepIntervalMs?: number
}

export interface RunningKbs {
  /** e.g. 'https://127.0.0.1:8080' (the actual port when 0 was asked). */
  readonly url: string
  /** Every bound socket's URL, `url` first. */
  readonly urls: readonly string[]
  /** The TLS certificate served (HTTPS only). */
  readonly certificatePem?: string
  readonly certificatePath?: string
  /** 'AB:CD:…' SHA-256 fingerprint of that certificate. */
  readonly fingerprintSha256?: string
  /** The admin private key, when one was generated/used from the data dir. */
  readonly adminPrivateKeyPath?: string
  readonly storageDir?: string
  close(): Promise<void>
}
