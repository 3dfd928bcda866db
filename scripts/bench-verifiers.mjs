// Verifier benchmark (`npm run bench -- verifiers [TEE...] [--quick] [--json]`), run against the compiled dist
// (`npx tsc -b` first) and only the repo fixtures of packages/verifier. Per TEE: verifications per
// second of the golden evidence with a warm collateral cache and a fixed `at`, and in the same run
// the floor: only the signature verifications that TEE's evidence needs on every call, with keys
// already imported (signatures the verifier remembers per content, as the DCAP PCK chain, excluded).
// Rates are per CPU-second of this process; ratio = median over alternating verification/floor slices.
import { Buffer } from 'node:buffer'
import { X509Certificate, createPublicKey, generateKeyPairSync, verify } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { performance } from 'node:perf_hooks'
import { TextEncoder } from 'node:util'

const args = new Set(process.argv.slice(2))
// `npm run bench -- verifiers snp sgx`: only those TEEs.
const only = [...args].filter((a) => !a.startsWith('--') && a !== 'verifiers')
const seconds = args.has('--quick') ? 0.3 : 2
const dist = (path) => import(new URL(`../packages/verifier/dist/${path}`, import.meta.url).href)
const pemCerts = (text) =>
  text.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g).map((p) => new X509Certificate(p))
/**
 * The fixture collateral sources read their files on every request; a deployment serves collateral
 * from memory once warm, so each answer is kept here (per request) and file reads stay out of the rate.
 */
const warm = (source) => {
  const answers = new Map()
  return {
    get(request) {
      const key = JSON.stringify(request)
      if (!answers.has(key)) answers.set(key, source.get(request))
      return answers.get(key)
    },
  }
}
const ok = (value, what) => {
  if (!value) throw new Error(`floor: ${what} does not verify`)
}

/** CPU seconds this process has used (all its threads: JavaScript, GC, crypto). */
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1e6
}

/**
 * Operations per CPU-second of `fn` (sync or async) over about `ms` milliseconds of wall time. CPU
 * time rather than wall time, so that time spent waiting for a core other processes hold is not
 * counted; on an idle machine the two agree (everything here runs on one thread).
 */
async function rate(fn, ms) {
  let n = 0
  const t0 = performance.now()
  const c0 = cpuSeconds()
  while (performance.now() < t0 + ms) {
    for (let i = 0; i < 10; i++) await fn()
    n += 10
  }
  return n / (cpuSeconds() - c0)
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1]

/**
 * Verification and floor rates measured in ten alternating slices. The ratio is the median of the
 * ratios of adjacent slices, so that load from other processes on a shared machine, which comes and
 * goes, skews a verification slice and its floor slice alike; the rates shown are the medians.
 */
async function measure(verifyFn, floorFn) {
  for (let i = 0; i < 20; i++) {
    await verifyFn()
    if (floorFn !== undefined) await floorFn()
  }
  const slices = 10
  const verifications = []
  const floors = []
  const ratios = []
  for (let i = 0; i < slices; i++) {
    const v = await rate(verifyFn, (seconds * 1000) / slices)
    verifications.push(v)
    if (floorFn === undefined) continue
    const f = await rate(floorFn, (seconds * 1000) / slices)
    floors.push(f)
    ratios.push(v / f)
  }
  return {
    verifications: median(verifications),
    floor: floorFn === undefined ? null : median(floors),
    ratio: floorFn === undefined ? null : median(ratios),
    ratioRange: floorFn === undefined ? null : [Math.min(...ratios), Math.max(...ratios)],
  }
}

const cases = []

// SEV-SNP: the OAK Milan report, its VCEK from collateral, the pinned Milan ARK/ASK.
{
  const { createSnpVerifier } = await dist('snp/snp-verifier.js')
  const { fakeCollateral, goldenReports, snpFixture } = await dist('snp/snp-test-support.js')
  const golden = goldenReports()['oak-milan-oc']
  const report = snpFixture(golden.report)
  const vcekDer = snpFixture(golden.vcek)
  const verifier = createSnpVerifier()
  const expected = { reportData: report.slice(0x50, 0x90) }
  const context = { at: new Date(golden.at), collateral: warm(fakeCollateral({ 'amd-vcek': vcekDer })) }
  const [ask, ark] = pemCerts(
    readFileSync(new URL('../packages/verifier/roots/amd-milan.pem', import.meta.url), 'utf8'),
  )
  const vcek = new X509Certificate(vcekDer)
  const [arkKey, askKey, vcekKey] = [ark.publicKey, ask.publicKey, vcek.publicKey]
  const signed = report.subarray(0, 0x2a0)
  const le = (at) => Buffer.from(report.subarray(at, at + 48)).reverse()
  const signature = Buffer.concat([le(0x2a0), le(0x2a0 + 72)])
  cases.push({
    tee: 'snp',
    evidence: 'OAK Milan report (raw), VCEK from collateral',
    verify: () => verifier.verify(report, expected, context),
    floorWhat: 'ARK→ASK, ASK→VCEK (RSA-PSS 4096), report ECDSA-P384',
    floor: () => {
      ok(ask.verify(arkKey), 'ASK')
      ok(vcek.verify(askKey), 'VCEK')
      ok(verify('sha384', signed, { key: vcekKey, dsaEncoding: 'ieee-p1363' }, signature), 'report')
    },
  })
}

// SGX (DCAP quote v3): dcap-qvl's sample with its collateral and CRLs.
{
  const { createSgxVerifier } = await dist('sgx/sgx-verifier.js')
  const { caseCollateral, dcapFixture } = await dist('dcap/quote-fixtures.js')
  const quote = Buffer.from(dcapFixture('qvl-sgx-quote.dat'))
  const verifier = createSgxVerifier()
  const evidence = { quote: quote.toString('base64') }
  const expected = { reportData: new TextEncoder().encode('Hello, world!') }
  const context = { at: new Date('2025-07-19T10:01:17Z'), collateral: warm(caseCollateral('qvl-sgx', 'qvl-sgx')) }
  const p256 = (raw) =>
    createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: raw.subarray(0, 32).toString('base64url'),
        y: raw.subarray(32).toString('base64url'),
      },
      format: 'jwk',
    })
  const quoteSig = quote.subarray(436, 500)
  const attestationKey = p256(quote.subarray(500, 564))
  const qeReport = quote.subarray(564, 948)
  const qeSig = quote.subarray(948, 1012)
  const authSize = quote.readUInt16LE(1012)
  const certType = quote.readUInt16LE(1014 + authSize)
  if (certType !== 5) throw new Error(`sgx floor: certification data type ${certType}`)
  const certSize = quote.readUInt32LE(1016 + authSize)
  const [pck] = pemCerts(quote.subarray(1020 + authSize, 1020 + authSize + certSize).toString('latin1'))
  const pckKey = pck.publicKey
  cases.push({
    tee: 'sgx',
    evidence: 'dcap-qvl SGX quote v3, collateral + CRLs from fixtures',
    verify: () => verifier.verify(evidence, expected, context),
    floorWhat:
      'QE report (ECDSA-P256, PCK) + quote (ECDSA-P256); PCK chain, TCB Info / QE Identity / CRL signatures excluded (the verifier remembers them per content)',
    floor: () => {
      ok(verify('sha256', qeReport, { key: pckKey, dsaEncoding: 'ieee-p1363' }, qeSig), 'QE report')
      ok(
        verify('sha256', quote.subarray(0, 432), { key: attestationKey, dsaEncoding: 'ieee-p1363' }, quoteSig),
        'quote',
      )
    },
  })
}

// TDX (DCAP quote v4): trustee's tdx_quote_4 with the go-tdx-guest collateral and CRLs (case A-TDX4-GTG).
{
  const { createTdxVerifier } = await dist('tdx/tdx-verifier.js')
  const { caseCollateral, dcapFixture } = await dist('dcap/quote-fixtures.js')
  const { parseDcapQuote } = await dist('dcap/quote-parse.js')
  const { attestationPublicKey } = await dist('dcap/quote-signature.js')
  const { pckCertificates } = await dist('dcap/pck-chain.js')
  const quote = Buffer.from(dcapFixture('tdx_quote_4.dat'))
  const verifier = createTdxVerifier()
  const evidence = { cc_eventlog: null, quote: quote.toString('base64') }
  const expected = { reportData: quote.subarray(48 + 520, 48 + 584) }
  const context = { at: new Date('2023-07-01T01:00:00Z'), collateral: warm(caseCollateral('gtg', 'go-tdx-guest-v4')) }
  const parsed = parseDcapQuote(quote)
  const attestationKey = attestationPublicKey(parsed.attestationKey)
  const pckKey = pckCertificates(parsed)[0].publicKey
  const p1363 = (key) => ({ key, dsaEncoding: 'ieee-p1363' })
  cases.push({
    tee: 'tdx',
    evidence: 'trustee TDX quote v4, go-tdx-guest collateral + CRLs from fixtures',
    verify: () => verifier.verify(evidence, expected, context),
    floorWhat:
      'QE report (ECDSA-P256, PCK) + quote (ECDSA-P256); PCK chain, TCB Info / QE Identity / CRL signatures excluded (the verifier remembers them per content)',
    floor: () => {
      ok(verify('sha256', parsed.qe.qeReport, p1363(pckKey), parsed.qe.qeReportSignature), 'QE report')
      ok(verify('sha256', parsed.signedBytes, p1363(attestationKey), parsed.signature), 'quote')
    },
  })
}

// NVIDIA Hopper (local mode): one GPU, the real report and chain.
{
  const { createNvidiaVerifier } = await dist('nvidia/nvidia-verifier.js')
  const t = await dist('nvidia/nvidia-test-evidence.js')
  const { parseSpdmMeasurementReport } = await dist('nvidia/spdm-measurements.js')
  const verifier = createNvidiaVerifier()
  const device = t.deviceEvidence({ uuid: t.UUID })
  const evidence = t.nvidiaEvidence(device)
  const context = { at: new Date('2025-06-01T00:00:00Z') }
  const expected = { reportData: t.HOPPER_NONCE }
  const chain = pemCerts(Buffer.from(device.certificate, 'base64').toString('utf8'))
  const keys = chain.map((c) => c.publicKey)
  const report = parseSpdmMeasurementReport(t.hopperReport())
  cases.push({
    tee: 'nvidia',
    evidence: 'Hopper SPDM report + 5-certificate chain, one GPU',
    verify: () => verifier.verify(evidence, expected, context),
    floorWhat: `chain (${chain.length - 1} × ECDSA-P384) + report ECDSA-P384`,
    floor: () => {
      for (let i = 0; i + 1 < chain.length; i++) ok(chain[i].verify(keys[i + 1]), `chain ${i}`)
      ok(verify('sha384', report.signedBytes, { key: keys[0], dsaEncoding: 'ieee-p1363' }, report.signature), 'report')
    },
    // The verifier remembers a validated chain per root and chain text (validity still judged per
    // call), so a repeat verifies one signature: this second row compares with that per-call floor.
    perCallFloor: {
      what: 'report ECDSA-P384 only (the chain signatures are remembered per content)',
      fn: () =>
        ok(
          verify('sha384', report.signedBytes, { key: keys[0], dsaEncoding: 'ieee-p1363' }, report.signature),
          'report',
        ),
    },
  })
}

// NVIDIA DPU: the synthetic BlueField DICE fixture (root CA → DeviceID → Alias, report-data signature).
{
  const { createNvidiaDpuVerifier } = await dist('nvidia-dpu/nvidia-dpu-verifier.js')
  const fixture = (name) => readFileSync(new URL(`../packages/verifier/fixtures/nvidia-dpu/${name}`, import.meta.url))
  const rootPem = fixture('root-ca.pem').toString('utf8')
  const evidence = JSON.parse(fixture('evidence.json').toString('utf8'))
  const reportData = new Uint8Array(Buffer.from(fixture('report-data.hex').toString('utf8').trim(), 'hex'))
  const verifier = createNvidiaDpuVerifier({ rootCa: rootPem })
  const device = evidence.devices[0]
  const alias = new X509Certificate(Buffer.from(device.alias_cert, 'base64'))
  const deviceId = new X509Certificate(Buffer.from(device.device_id_cert, 'base64'))
  const root = new X509Certificate(rootPem)
  const signature = Buffer.from(device.report_data_signature, 'base64')
  const signed = new Uint8Array(64)
  signed.set(reportData)
  const keys = { root: root.publicKey, deviceId: deviceId.publicKey, alias: alias.publicKey }
  cases.push({
    tee: 'nvidia-dpu',
    evidence: 'synthetic BlueField-3 DICE chain + report-data signature',
    verify: () => verifier.verify(evidence, { reportData }, { at: new Date('2026-01-15T10:10:00Z') }),
    floorWhat: 'Alias and DeviceID certificates + report data, 3 × ECDSA-P384',
    floor: () => {
      ok(alias.verify(keys.deviceId), 'Alias certificate')
      ok(deviceId.verify(keys.root), 'DeviceID certificate')
      ok(verify('sha384', signed, { key: keys.alias, dsaEncoding: 'ieee-p1363' }, signature), 'report data')
    },
  })
}

// TPM: a synthetic RSA-2048 quote over 24 SHA-256 PCRs (the tpm verifier's own fixture shape).
{
  const { createTpmVerifier } = await dist('tpm/tpm-verifier.js')
  const { syntheticQuote } = await dist('tpm/synthetic-quote.js')
  const reportData = new Uint8Array(64).fill(7)
  const pcrs = Array.from({ length: 24 }, (_, i) => new Uint8Array(32).fill(i))
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const quote = syntheticQuote({ key: key.privateKey, scheme: 'rsassa', extraData: reportData.subarray(0, 32), pcrs })
  const b64 = (b) => Buffer.from(b).toString('base64')
  const evidence = {
    ak_public: b64(key.publicKey.export({ format: 'der', type: 'spki' })),
    tpm_quote: {
      message: b64(quote.message),
      signature: b64(quote.signature),
      pcrs: pcrs.map((p) => Buffer.from(p).toString('hex')),
    },
  }
  const verifier = createTpmVerifier()
  const rawSignature = Buffer.from(quote.signature).subarray(6)
  cases.push({
    tee: 'tpm',
    evidence: 'synthetic RSA-2048 RSASSA quote, 24 PCRs',
    verify: () => verifier.verify(evidence, { reportData }),
    floorWhat: 'quote RSASSA-PKCS1 SHA-256',
    floor: () => ok(verify('sha256', quote.message, key.publicKey, rawSignature), 'quote'),
  })
}

// CCA: the example token (platform + realm tokens, both COSE_Sign1) under the test anchors.
{
  const { createCcaVerifier } = await dist('cca/cca-verifier.js')
  const { ccaEvidence, exampleToken, testTrustAnchors } = await dist('cca/cca-test-token.js')
  const { splitCcaToken } = await dist('cca/cca-token.js')
  const { parseCoseSign1, sigStructure } = await dist('cca/cose-sign1.js')
  const { parsePlatformClaims } = await dist('cca/platform-claims.js')
  const { parseRealmClaims } = await dist('cca/realm-claims.js')
  const { findTrustAnchor } = await dist('cca/trust-anchors.js')
  const { realmAttestationKey } = await dist('cca/rak-binding.js')
  const anchors = testTrustAnchors()
  const verifier = createCcaVerifier({ trustAnchors: anchors })
  const token = exampleToken()
  const index = Buffer.from(token).indexOf(Buffer.from('57e979ae2618de0c', 'hex'))
  const reportData = token.slice(index, index + 64)
  const parts = splitCcaToken(token)
  const platformToken = parseCoseSign1(parts.platform, 'platform')
  const realmToken = parseCoseSign1(parts.realm, 'realm')
  const platform = parsePlatformClaims(platformToken.payload)
  const cpak = findTrustAnchor(anchors, platform.instanceId, platform.implementationId).cpak
  const rak = realmAttestationKey(parseRealmClaims(realmToken.payload).publicKey)
  const hashOf = { [-7]: 'sha256', [-35]: 'sha384', [-36]: 'sha512' }
  const signed = (t) => [hashOf[t.alg], sigStructure(t.protectedHeader, t.payload), t.signature]
  const [platformSigned, realmSigned] = [signed(platformToken), signed(realmToken)]
  const check = ([hash, data, signature], key) => verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature)
  cases.push({
    tee: 'cca',
    evidence: 'example CCA token (test trust anchors)',
    verify: () => verifier.verify(ccaEvidence(token), { reportData }),
    floorWhat: 'platform token (CPAK) + realm token (RAK) COSE_Sign1 ECDSA',
    floor: () => {
      ok(check(platformSigned, cpak), 'platform token')
      ok(check(realmSigned, rak), 'realm token')
    },
  })
}

// Azure vTPM evidence (real captures): vTPM quote + HCL report + the SNP or TDX checks.
{
  const { createAzSnpVtpmVerifier } = await dist('az-snp-vtpm/az-snp-vtpm-verifier.js')
  const fixture = (path) =>
    JSON.parse(readFileSync(new URL(`../packages/verifier/fixtures/${path}`, import.meta.url), 'utf8'))
  const snp = createAzSnpVtpmVerifier()
  const snpEvidence = fixture('az-snp-vtpm/evidence-v2.json')
  const reportData = new Uint8Array(
    Buffer.from(
      '982f5c6e45df0ed3f10b6f60b02f0c8390e281300f3805e2279c16168cd6ae9aa398f647caa2338748cd0fd9f5f819ef',
      'hex',
    ),
  )
  const { parseAzSnpEvidence } = await dist('az-snp-vtpm/az-snp-evidence.js')
  const { azSnpProduct } = await dist('az-snp-vtpm/az-snp-product.js')
  const { parseHclReport, hclAttestationKey } = await dist('tpm/hcl-report.js')
  const { parseSnpReport } = await dist('snp/snp-report.js')
  const parsed = parseAzSnpEvidence(snpEvidence)
  const hcl = parseHclReport(parsed.hclReport)
  const ak = hclAttestationKey(hcl)
  const hw = hcl.hardwareReport
  const product = azSnpProduct(parseSnpReport(hw), parsed.vcekDer).toLowerCase()
  const rootsPem = readFileSync(new URL(`../packages/verifier/roots/amd-${product}.pem`, import.meta.url), 'utf8')
  const [ask, ark] = pemCerts(rootsPem)
  const vcek = new X509Certificate(parsed.vcekDer)
  const [arkKey, askKey, vcekKey] = [ark.publicKey, ask.publicKey, vcek.publicKey]
  const le = (at) => Buffer.from(hw.subarray(at, at + 48)).reverse()
  const reportSignature = Buffer.concat([le(0x2a0), le(0x2a0 + 72)])
  cases.push({
    tee: 'az-snp-vtpm',
    evidence: 'real Azure SNP vTPM evidence v2 (VCEK in evidence)',
    verify: () => snp.verify(snpEvidence, { reportData }, { at: new Date('2026-01-01T00:00:00Z') }),
    floorWhat: 'vTPM quote (RSASSA SHA-256, HCL AK) + ARK→ASK, ASK→VCEK, SNP report ECDSA-P384',
    floor: () => {
      ok(verify('sha256', parsed.quote.message, ak, parsed.quote.signature), 'vTPM quote')
      ok(ask.verify(arkKey), 'ASK')
      ok(vcek.verify(askKey), 'VCEK')
      ok(
        verify('sha384', hw.subarray(0, 0x2a0), { key: vcekKey, dsaEncoding: 'ieee-p1363' }, reportSignature),
        'report',
      )
    },
  })
  const { createAzTdxVtpmVerifier } = await dist('az-tdx-vtpm/az-tdx-vtpm-verifier.js')
  const { azTdxTestCollateral, AZ_TDX_TEST_TIME } = await dist('az-tdx-vtpm/az-tdx-test-support.js')
  const tdx = createAzTdxVtpmVerifier()
  const tdxEvidence = fixture('az-tdx-vtpm/evidence-v1.json')
  const context = { at: AZ_TDX_TEST_TIME, collateral: warm(azTdxTestCollateral()) }
  const { parseAzTdxEvidence } = await dist('az-tdx-vtpm/az-tdx-evidence.js')
  const { parseDcapQuote } = await dist('dcap/quote-parse.js')
  const { attestationPublicKey } = await dist('dcap/quote-signature.js')
  const { pckCertificates } = await dist('dcap/pck-chain.js')
  const tdxParsed = parseAzTdxEvidence(tdxEvidence)
  const tdxAk = hclAttestationKey(parseHclReport(tdxParsed.hclReport))
  const tdQuote = parseDcapQuote(tdxParsed.tdQuote)
  const tdAttestationKey = attestationPublicKey(tdQuote.attestationKey)
  const tdPckKey = pckCertificates(tdQuote)[0].publicKey
  const p1363 = (key) => ({ key, dsaEncoding: 'ieee-p1363' })
  cases.push({
    tee: 'az-tdx-vtpm',
    evidence: 'real Azure TDX vTPM evidence v1, DCAP collateral from fixtures',
    verify: () => tdx.verify(tdxEvidence, { reportData: new TextEncoder().encode('challenge') }, context),
    floorWhat:
      'vTPM quote (RSASSA SHA-256, HCL AK) + QE report (ECDSA-P256, PCK) + TD quote (ECDSA-P256); PCK chain, TCB Info / QE Identity / CRL signatures excluded (the verifier remembers them per content)',
    floor: () => {
      ok(verify('sha256', tdxParsed.quote.message, tdxAk, tdxParsed.quote.signature), 'vTPM quote')
      ok(verify('sha256', tdQuote.qe.qeReport, p1363(tdPckKey), tdQuote.qe.qeReportSignature), 'QE report')
      ok(verify('sha256', tdQuote.signedBytes, p1363(tdAttestationKey), tdQuote.signature), 'TD quote')
    },
  })
}

// Hygon CSV / DCU: the synthetic SM2 PKIs (fixtures/csv/synthetic, fixtures/hygondcu), HSK/CEK as
// warm collateral. The chains are verified once per content (helper A's csv/hygondcu).
{
  const { createCsvVerifier } = await dist('csv/csv-verifier.js')
  const { createHygonDcuVerifier } = await dist('hygondcu/dcu-verifier.js')
  const { parseCsvEvidence } = await dist('csv/csv-evidence.js')
  const { parseCsvCertificate } = await dist('csv/hygon-cert.js')
  const { parseDcuEvidence } = await dist('hygondcu/dcu-evidence.js')
  const { prepareSm2Key, sm2IdentityHash, verifySm2 } = await dist('csv/sm2-verify.js')
  const fixture = (name) => readFileSync(new URL(`../packages/verifier/fixtures/${name}`, import.meta.url))
  const hexFixture = (name) => new Uint8Array(Buffer.from(fixture(name).toString('utf8').trim(), 'hex'))
  const signer = (certBytes, precompute) => {
    const cert = parseCsvCertificate(certBytes, 'bench', 'EVIDENCE_MALFORMED')
    return { key: prepareSm2Key(cert.publicKey, precompute), identity: sm2IdentityHash(cert.publicKey, cert.userId) }
  }
  const csvEvidence = JSON.parse(fixture('csv/synthetic/evidence-v2.json').toString('utf8'))
  const hskCek = new Uint8Array(fixture('csv/synthetic/hsk_cek.cert'))
  const csvCollateral = { get: async (r) => (r.kind === 'hygon-hsk-cek' ? { body: hskCek } : undefined) }
  const csv = createCsvVerifier({ hrk: fixture('csv/synthetic/hrk.cert') })
  const csvReportData = hexFixture('csv/synthetic/report-data.hex')
  const { report, pek: pekBytes } = parseCsvEvidence(csvEvidence)
  const pek = signer(pekBytes, true)
  cases.push({
    tee: 'csv',
    evidence: 'synthetic v2 report + real CSV event log (SM3 replay), HSK/CEK from warm collateral',
    verify: () => csv.verify(csvEvidence, { reportData: csvReportData }, { collateral: csvCollateral }),
    floorWhat: 'report SM2 (PEK, precomputed, with its Z); HRK→HSK→CEK→PEK excluded (remembered per content)',
    floor: () => ok(verifySm2(pek.key, pek.identity, report.signed, report.r, report.s), 'report'),
  })
  const dcuEvidence = JSON.parse(fixture('hygondcu/evidence.json').toString('utf8'))
  const dcuDir = new URL('../packages/verifier/fixtures/hygondcu/collateral/hsk_cek/', import.meta.url)
  const cekOf = (chip) => new Uint8Array(readFileSync(new URL(`${chip}/hsk_cek.cert`, dcuDir))).subarray(832)
  const dcuReports = parseDcuEvidence(dcuEvidence)
  const ceks = dcuReports.map((r) => signer(cekOf(Buffer.from(r.chipId).toString('latin1')), true))
  const dcuCollateral = {
    get: async (r) =>
      r.kind === 'hygon-hsk-cek'
        ? { body: new Uint8Array(readFileSync(new URL(`${r.chipId}/hsk_cek.cert`, dcuDir))) }
        : undefined,
  }
  const dcu = createHygonDcuVerifier({ hrk: fixture('hygondcu/hrk.cert') })
  cases.push({
    tee: 'hygondcu',
    evidence: 'synthetic, two DCU reports, HSK/CEK from warm collateral',
    verify: () =>
      dcu.verify(
        dcuEvidence,
        { reportData: hexFixture('hygondcu/report-data.hex') },
        { collateral: warm(dcuCollateral) },
      ),
    floorWhat: '2 × report SM2 (CEK, precomputed); HRK→HSK→CEK excluded (remembered per content)',
    floor: () => {
      dcuReports.forEach((r, i) => ok(verifySm2(ceks[i].key, ceks[i].identity, r.body, r.r, r.s), `report ${i}`))
    },
  })
}

const rows = []
for (const c of cases.filter((c) => only.length === 0 || only.includes(c.tee))) {
  process.stderr.write(`  ${c.tee}…\n`)
  rows.push({ tee: c.tee, evidence: c.evidence, ...(await measure(c.verify, c.floor)), floorWhat: c.floorWhat })
  if (c.perCallFloor !== undefined) {
    process.stderr.write(`  ${c.tee} (per-call floor)…\n`)
    const perCall = await measure(c.verify, c.perCallFloor.fn)
    rows.push({ tee: `${c.tee} (per-call floor)`, evidence: c.evidence, ...perCall, floorWhat: c.perCallFloor.what })
  }
}

console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${new Date().toISOString()}`)
console.log('| TEE | evidence | verifications/s | floor/s | ratio (slices) | floor = |')
console.log('| --- | --- | ---: | ---: | ---: | --- |')
for (const r of rows) {
  const f = (x) => (x === null ? '—' : x.toFixed(0))
  const ratio =
    r.ratio === null ? '—' : `${r.ratio.toFixed(2)} (${r.ratioRange[0].toFixed(2)}–${r.ratioRange[1].toFixed(2)})`
  console.log(`| ${r.tee} | ${r.evidence} | ${f(r.verifications)} | ${f(r.floor)} | ${ratio} | ${r.floorWhat ?? '—'} |`)
}
if (args.has('--json')) console.log(JSON.stringify(rows, null, 2))
