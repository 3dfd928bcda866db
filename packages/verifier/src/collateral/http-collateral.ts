import { CollateralError } from './collateral-error.ts'
import { nextUpdateOf } from './collateral-expiry.ts'
import { checkCollateralMatches } from './collateral-match.ts'
import type { CollateralItem, CollateralRequest, CollateralSource } from './collateral-source.ts'

export interface HttpCollateralOptions {
  /** AMD KDS base URL (default `https://kdsintf.amd.com`). */
  readonly amdKdsUrl?: string
  /** Intel PCS base URL (default `https://api.trustedservices.intel.com`). */
  readonly intelPcsUrl?: string
  /** Where the Intel SGX Root CA CRL is published (default Intel's certificates site). */
  readonly intelRootCaCrlUrl?: string
  /** Hygon KDS base URL (default `https://cert.hygon.cn`). */
  readonly hygonKdsUrl?: string
  readonly fetch?: typeof globalThis.fetch
  /** The clock, for `Retry-After` given as an HTTP date. */
  readonly now?: () => Date
  readonly sleep?: (ms: number) => Promise<void>
  /** Per request, headers and body together (default 10 s). */
  readonly timeoutMs?: number
  /** Retries after HTTP 429 (default 3). */
  readonly maxRetries?: number
  /** Wait after a 429 without `Retry-After` (default 10 s: AMD KDS allows about one request per 10 s). */
  readonly defaultRetryAfterMs?: number
  /** A longer `Retry-After` is not waited for: `RATE_LIMITED` at once (default 120 s). */
  readonly maxRetryAfterMs?: number
  /**
   * Least time between two AMD KDS requests of this source (default 0: only 429s slow it down).
   * `carapace collateral fetch` uses 10 s, AMD's published allowance, so a bundle fetch is not throttled.
   */
  readonly amdKdsSpacingMs?: number
}

interface Target {
  readonly url: string
  /** Response headers holding the issuer chain, first present wins. */
  readonly chainHeaders: readonly string[]
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

interface Bases {
  readonly kds: string
  readonly pcs: string
  readonly rootCrl: string
  readonly hygon: string
}

function targetOf(request: CollateralRequest, { kds, pcs, rootCrl, hygon }: Bases): Target | undefined {
  switch (request.kind) {
    case 'amd-vcek': {
      const t = request.tcb
      const query = new URLSearchParams({
        blSPL: String(t.bootloader),
        teeSPL: String(t.tee),
        snpSPL: String(t.snp),
        ucodeSPL: String(t.microcode),
        ...(t.fmc === undefined ? {} : { fmcSPL: String(t.fmc) }),
      })
      return { url: `${kds}/vcek/v1/${request.product}/${hex(request.hwid)}?${query.toString()}`, chainHeaders: [] }
    }
    case 'amd-cert-chain':
      return { url: `${kds}/${request.signer}/v1/${request.product}/cert_chain`, chainHeaders: [] }
    case 'amd-crl':
      return { url: `${kds}/${request.signer}/v1/${request.product}/crl`, chainHeaders: [] }
    case 'intel-tcb-info':
      return {
        url: `${pcs}/${request.tee}/certification/v4/tcb?fmspc=${encodeURIComponent(request.fmspc)}`,
        chainHeaders: ['tcb-info-issuer-chain', 'sgx-tcb-info-issuer-chain'],
      }
    case 'intel-qe-identity':
      return {
        url: `${pcs}/${request.tee}/certification/v4/qe/identity`,
        chainHeaders: ['sgx-enclave-identity-issuer-chain'],
      }
    case 'intel-pck-crl':
      return {
        url: `${pcs}/sgx/certification/v4/pckcrl?ca=${request.ca}&encoding=der`,
        chainHeaders: ['sgx-pck-crl-issuer-chain'],
      }
    case 'intel-root-ca-crl':
      return { url: rootCrl, chainHeaders: [] }
    case 'hygon-hsk-cek':
      return { url: `${hygon}/hsk_cek?snumber=${encodeURIComponent(request.chipId)}`, chainHeaders: [] }
    case 'amd-vlek':
      // KDS serves VLEKs only to the cloud providers they are issued to.
      return undefined
    case 'nvidia-root':
      // The NVIDIA root is pinned (roots/nvidia-device-root.pem); there is no service to ask.
      return undefined
  }
}

/** Milliseconds a `Retry-After` header asks for (delta seconds or HTTP date), or undefined. */
export function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (header === null) return undefined
  const text = header.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime())
}

function decodeChain(value: string, url: string): string {
  try {
    return decodeURIComponent(value)
  } catch (cause) {
    throw new CollateralError('MALFORMED', `${url}: the issuer chain header is not URL-encoded`, { cause })
  }
}

/**
 * The vendors' services: AMD KDS, Intel PCS v4 and Hygon KDS (HSK/CEK). Every request has a timeout; HTTP 429 is retried
 * after `Retry-After` (or the KDS pacing of 10 s) a bounded number of times; 404 means "not there"
 * (`undefined`); bodies are checked to be the object asked for before they are returned.
 */
export function createHttpCollateral(options: HttpCollateralOptions = {}): CollateralSource {
  const kds = (options.amdKdsUrl ?? 'https://kdsintf.amd.com').replace(/\/+$/, '')
  const pcs = (options.intelPcsUrl ?? 'https://api.trustedservices.intel.com').replace(/\/+$/, '')
  const rootCrl = options.intelRootCaCrlUrl ?? 'https://certificates.trustedservices.intel.com/IntelSGXRootCA.der'
  const hygon = (options.hygonKdsUrl ?? 'https://cert.hygon.cn').replace(/\/+$/, '')
  const doFetch = options.fetch ?? globalThis.fetch
  const now = options.now ?? (() => new Date())
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const timeoutMs = options.timeoutMs ?? 10_000
  const maxRetries = options.maxRetries ?? 3
  const defaultRetryAfterMs = options.defaultRetryAfterMs ?? 10_000
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000
  const kdsSpacingMs = options.amdKdsSpacingMs ?? 0
  let kdsQueue: Promise<void> = Promise.resolve()
  let lastKdsAt: number | undefined

  /** Serializes KDS requests and spaces them `kdsSpacingMs` apart (by the injected clock and sleep). */
  function kdsTurn(): Promise<void> {
    const turn = kdsQueue.then(async () => {
      const wait = lastKdsAt === undefined ? 0 : lastKdsAt + kdsSpacingMs - now().getTime()
      if (wait > 0) await sleep(wait)
      lastKdsAt = now().getTime()
    })
    kdsQueue = turn.catch(() => undefined)
    return turn
  }

  async function once(url: string): Promise<{ status: number; headers: Headers; body: Uint8Array }> {
    const controller = new AbortController()
    const timer = setTimeout(() => {
      controller.abort()
    }, timeoutMs)
    try {
      const response = await doFetch(url, { signal: controller.signal, redirect: 'follow' })
      const body = response.status === 200 ? new Uint8Array(await response.arrayBuffer()) : new Uint8Array()
      if (response.status !== 200) await response.body?.cancel()
      return { status: response.status, headers: response.headers, body }
    } catch (cause) {
      if (controller.signal.aborted) {
        throw new CollateralError('TIMEOUT', `${url}: no complete answer within ${String(timeoutMs)} ms`, { cause })
      }
      throw new CollateralError('NETWORK_ERROR', `${url}: ${cause instanceof Error ? cause.message : String(cause)}`, {
        cause,
      })
    } finally {
      clearTimeout(timer)
    }
  }

  return {
    async get(request) {
      const target = targetOf(request, { kds, pcs, rootCrl, hygon })
      if (target === undefined) return undefined
      const paced = kdsSpacingMs > 0 && request.kind.startsWith('amd-')
      for (let attempt = 0; ; attempt++) {
        if (paced) await kdsTurn()
        const response = await once(target.url)
        if (response.status === 404) return undefined
        if (response.status === 429) {
          const wait = retryAfterMs(response.headers.get('retry-after'), now()) ?? defaultRetryAfterMs
          if (attempt >= maxRetries || wait > maxRetryAfterMs) {
            throw new CollateralError('RATE_LIMITED', `${target.url}: HTTP 429 after ${String(attempt + 1)} tries`)
          }
          await sleep(wait)
          continue
        }
        if (response.status !== 200) {
          throw new CollateralError('HTTP_ERROR', `${target.url}: HTTP ${String(response.status)}`)
        }
        checkCollateralMatches(request, response.body)
        const nextUpdate = nextUpdateOf(request, response.body)
        const chainHeader = target.chainHeaders.map((h) => response.headers.get(h)).find((v) => v !== null) ?? null
        const item: CollateralItem = {
          body: response.body,
          ...(chainHeader === null ? {} : { issuerChain: decodeChain(chainHeader, target.url) }),
          ...(nextUpdate === undefined ? {} : { nextUpdate }),
        }
        return item
      }
    },
  }
}
