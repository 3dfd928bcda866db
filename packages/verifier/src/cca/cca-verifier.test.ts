import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import type { JsonObject } from '@carapace/protocol'
import { rejectsWith, verifierContract } from '../verifier-contract.ts'
import { decodeCbor, encodeCbor } from './cbor.ts'
import { ccaEvidence, exampleToken, otherP384Key, pad64, resignedToken, testTrustAnchors } from './cca-test-token.ts'
import { createCcaVerifier } from './cca-verifier.ts'
import { loadTrustAnchorsFromConfig } from './trust-anchors.ts'

const FIXTURES = new URL('../../fixtures/cca/', import.meta.url)
const exampleClaims = JSON.parse(readFileSync(new URL('cca-example-token-claims.json', FIXTURES), 'utf8')) as JsonObject
const exampleChallenge = new Uint8Array(Buffer.from(exampleClaims.report_data as string, 'hex'))
const verifier = createCcaVerifier({ trustAnchors: testTrustAnchors() })

const reportData = new Uint8Array(createHash('sha384').update('runtime data').digest())
const initData = new Uint8Array(createHash('sha384').update('init data').digest())
const bound = resignedToken({
  realm: new Map([
    [10, pad64(reportData)],
    [44235, pad64(initData)],
  ]),
})

verifierContract('cca', () => ({
  verifier,
  golden: {
    evidence: ccaEvidence(exampleToken()),
    expected: { reportData: exampleChallenge, initDataDigest: new Uint8Array(64) },
    claims: [exampleClaims],
    teeClass: 'cpu',
  },
  wrongReportData: new Uint8Array(64),
  truncated: ccaEvidence(exampleToken().subarray(0, 1000)),
  wrongInitDataDigest: new Uint8Array(64).fill(1),
  tamperedSignature: {
    evidence: ccaEvidence(exampleToken().map((b, i, all) => (i === all.length - 1 ? b ^ 1 : b))),
  },
  untrustedRoot: {
    evidence: ccaEvidence(resignedToken({ platform: new Map([[256, new Uint8Array(33).fill(1)]]) })),
  },
}))

describe('cca verifier', () => {
  test('a token re-signed for other report data and init data is accepted with them', async () => {
    const [result] = await verifier.verify(ccaEvidence(bound), { reportData, initDataDigest: initData })
    assert.ok(result !== undefined)
    const claims = result.claims
    assert.equal(claims.report_data, Buffer.from(pad64(reportData)).toString('hex'))
    assert.equal(claims.init_data, Buffer.from(pad64(initData)).toString('hex'))
    assert.deepEqual(claims.platform, exampleClaims.platform)
    assert.equal((claims.realm as JsonObject)['cca-realm-challenge'], Buffer.from(pad64(reportData)).toString('base64'))
    assert.equal(result.teeClass, 'cpu')
  })

  test('without an init-data digest the personalization value is not checked', async () => {
    const results = await verifier.verify(ccaEvidence(bound), { reportData })
    assert.equal(results.length, 1)
  })

  test('the evidence may come as JSON text or its UTF-8 bytes', async () => {
    const text = JSON.stringify(ccaEvidence(bound))
    await verifier.verify(text, { reportData })
    await verifier.verify(new TextEncoder().encode(text), { reportData })
  })

  test('a platform token signed by another key than the store’s CPAK is SIGNATURE_INVALID', async () => {
    const token = resignedToken({ cpak: otherP384Key() })
    await rejectsWith(verifier.verify(ccaEvidence(token), { reportData: exampleChallenge }), 'SIGNATURE_INVALID')
  })

  test('a realm token signed by another key than the RAK it names is SIGNATURE_INVALID', async () => {
    const token = resignedToken({ rak: otherP384Key() })
    await rejectsWith(verifier.verify(ccaEvidence(token), { reportData: exampleChallenge }), 'SIGNATURE_INVALID')
  })

  test('a realm key the platform does not vouch for is CERT_CHAIN_INVALID', async () => {
    const rak = otherP384Key()
    const token = resignedToken({ rak, claimedRak: rak, platform: new Map([[10, new Uint8Array(32)]]) })
    await rejectsWith(verifier.verify(ccaEvidence(token), { reportData: exampleChallenge }), 'CERT_CHAIN_INVALID')
  })

  test('a fresh RAK the platform vouches for is accepted', async () => {
    const rak = otherP384Key()
    const token = resignedToken({ rak, claimedRak: rak })
    const [result] = await verifier.verify(ccaEvidence(token), { reportData: exampleChallenge })
    assert.deepEqual(result?.claims.platform, exampleClaims.platform)
  })

  test('malformed tokens are EVIDENCE_MALFORMED', async () => {
    const cases: unknown[] = [
      { token: [] },
      { token: [256] },
      { token: 'AAAA' },
      ccaEvidence(encodeCbor(['not', 'a', 'token'])),
      ccaEvidence(new Uint8Array([...exampleToken(), 0])),
      ccaEvidence(resignedToken({ realm: new Map([[10, new Uint8Array(32)]]) })),
      ccaEvidence(resignedToken({ realm: new Map([[44239, [new Uint8Array(64)]]]) })),
    ]
    for (const evidence of cases) {
      await rejectsWith(verifier.verify(evidence, { reportData: exampleChallenge }), 'EVIDENCE_MALFORMED')
    }
  })

  test('the CBOR writer reproduces the example token byte for byte', () => {
    assert.deepEqual(encodeCbor(decodeCbor(exampleToken())), exampleToken())
  })

  test('trust anchors load from upstream’s local config; a missing config is COLLATERAL_UNAVAILABLE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carapace-cca-'))
    const store = join(dir, 'tastore.json')
    writeFileSync(store, readFileSync(new URL('tastore.json', FIXTURES)))
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ 'cca-verifier': { type: 'local', 'ta-store': store, 'rv-store': 'x' } }),
    )
    const anchors = await loadTrustAnchorsFromConfig(join(dir, 'config.json'))
    const fromConfig = createCcaVerifier({ trustAnchors: anchors })
    await fromConfig.verify(ccaEvidence(exampleToken()), { reportData: exampleChallenge })
    await rejectsWith(loadTrustAnchorsFromConfig(join(dir, 'absent.json')), 'COLLATERAL_UNAVAILABLE')
    writeFileSync(
      join(dir, 'remote.json'),
      JSON.stringify({ 'cca-verifier': { type: 'remote', address: 'https://x' } }),
    )
    await rejectsWith(loadTrustAnchorsFromConfig(join(dir, 'remote.json')), 'COLLATERAL_UNAVAILABLE')
  })

  test('the config and ta-store are read once per verifier; a failed load is retried on the next call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carapace-cca-'))
    const store = join(dir, 'tastore.json')
    const config = join(dir, 'config.json')
    const fromConfig = createCcaVerifier({ configFile: config })
    const evidence = ccaEvidence(exampleToken())
    await rejectsWith(fromConfig.verify(evidence, { reportData: exampleChallenge }), 'COLLATERAL_UNAVAILABLE')
    writeFileSync(store, readFileSync(new URL('tastore.json', FIXTURES)))
    writeFileSync(config, JSON.stringify({ 'cca-verifier': { type: 'local', 'ta-store': store, 'rv-store': 'x' } }))
    await fromConfig.verify(evidence, { reportData: exampleChallenge })
    rmSync(store)
    rmSync(config)
    const [again] = await fromConfig.verify(evidence, { reportData: exampleChallenge })
    assert.deepEqual(again?.claims.platform, exampleClaims.platform)
  })
})
