import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { X509Certificate } from 'node:crypto'
import { NO_COLLATERAL } from '../collateral/collateral-source.ts'
import { rejectsWith } from '../verifier-contract.ts'
import { verifyPckChain } from './pck-chain.ts'
import { pckClaims } from './pck-claims.ts'
import { crlSource, dcapFixture, REAL_QUOTES } from './quote-fixtures.ts'
import { parseDcapQuote } from './quote-parse.ts'
import { checkQeReport, checkQuoteSignature } from './quote-signature.ts'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const syntheticRoot = (): X509Certificate => new X509Certificate(dcapFixture('synthetic/root.pem'))

describe('DCAP quote signatures and PCK chain on real quotes', () => {
  for (const [name, c] of Object.entries(REAL_QUOTES)) {
    test(`${name}: quote signature, PCK chain + CRLs at ${c.at.toISOString()}, QE report and binding`, async () => {
      const quote = parseDcapQuote(dcapFixture(c.quote))
      checkQuoteSignature(quote)
      const chain = await verifyPckChain(quote, { at: c.at, collateral: crlSource(c.crls) })
      checkQeReport(quote, chain.leaf)
      assert.equal(chain.extensions.compSvns.length, 16)
      assert.equal(chain.pckCrl.crlNumber, 1n)
    })
  }

  test('tdx_quote_4.dat: PCK extensions and the DCAP claims from the chain', async () => {
    const c = REAL_QUOTES['tdx-v4-trustee']
    const chain = await verifyPckChain(parseDcapQuote(dcapFixture(c.quote)), {
      at: c.at,
      collateral: crlSource(c.crls),
    })
    const e = chain.extensions
    assert.equal(chain.ca, 'platform')
    assert.equal(hex(e.fmspc), '50806f000000')
    assert.equal(hex(e.pceId), '0000')
    assert.deepEqual(e.compSvns, [5, 5, 13, 2, 3, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0])
    assert.equal(e.pceSvn, 11)
    // Values upstream's DCAP claims report for this quote (trustee tdx verifier test).
    assert.deepEqual(pckClaims(chain), {
      pck_crl_num: 1,
      root_ca_crl_num: 1,
      platform_provider_id: 'df4c32a9d8d86009aaf380ec43cfcefb',
      sgx_type: 'Scalable',
      root_key_id: '46e403bd34f05a3f2817ab9badcaacc7ffc98e0f261008cd30dae936cace18d5dcf58eef31463613de1570d516200993',
      is_dynamic_platform: true,
      is_cached_keys: true,
      is_smt_enabled: true,
      platform_instance_id: '82548d228d94d5e204a95b354dc61a02',
    })
  })

  test('a Processor CA quote has no platform instance id and a Standard SGX type', async () => {
    const c = REAL_QUOTES['sgx-v3-dcap-qvl']
    const chain = await verifyPckChain(parseDcapQuote(dcapFixture(c.quote)), {
      at: c.at,
      collateral: crlSource(c.crls),
    })
    assert.equal(chain.ca, 'processor')
    const claims = pckClaims(chain)
    assert.equal(claims['sgx_type'], 'Standard')
    assert.equal(claims['platform_instance_id'], undefined)
    assert.equal(claims['is_smt_enabled'], undefined)
  })

  test('occlum_quote.dat: platform_instance_id as upstream claims it', async () => {
    const c = REAL_QUOTES['sgx-v3-occlum']
    const chain = await verifyPckChain(parseDcapQuote(dcapFixture(c.quote)), {
      at: c.at,
      collateral: crlSource(c.crls),
    })
    assert.equal(pckClaims(chain)['platform_instance_id'], '7a3a6941065cd5060bd93d3db2cfc0c8')
  })
})

describe('DCAP checks refuse', () => {
  const c = REAL_QUOTES['tdx-v4-trustee']
  const bytes = (): Uint8Array => Uint8Array.from(dcapFixture(c.quote))

  test('a changed body byte: SIGNATURE_INVALID', () => {
    const b = bytes()
    b[48 + 136] = (b[48 + 136] ?? 0) ^ 1 // mr_td
    assert.throws(
      () => {
        checkQuoteSignature(parseDcapQuote(b))
      },
      { code: 'SIGNATURE_INVALID' },
    )
  })

  test('a changed QE report or QE auth data: SIGNATURE_INVALID', async () => {
    for (const at of [632 + 4 + 128 + 6 + 10, 632 + 4 + 128 + 6 + 448 + 2]) {
      const b = bytes()
      b[at] = (b[at] ?? 0) ^ 1
      const quote = parseDcapQuote(b)
      const chain = await verifyPckChain(quote, { at: c.at, collateral: crlSource(c.crls) })
      assert.throws(
        () => {
          checkQeReport(quote, chain.leaf)
        },
        { code: 'SIGNATURE_INVALID' },
      )
    }
  })

  test('no CRLs: COLLATERAL_UNAVAILABLE', async () => {
    await rejectsWith(
      verifyPckChain(parseDcapQuote(bytes()), { at: c.at, collateral: NO_COLLATERAL }),
      'COLLATERAL_UNAVAILABLE',
    )
  })

  test('a CRL from another CA: COLLATERAL_INVALID; a CRL past its nextUpdate: CERT_EXPIRED', async () => {
    const quote = parseDcapQuote(bytes())
    await rejectsWith(
      verifyPckChain(quote, { at: c.at, collateral: crlSource('gtg', 'qvl-sgx-pck-crl.der') }),
      'COLLATERAL_INVALID',
    )
    await rejectsWith(
      verifyPckChain(quote, { at: new Date('2023-08-01T00:00:00Z'), collateral: crlSource('gtg') }),
      'CERT_EXPIRED',
    )
  })

  test('a time after the PCK certificate expired: CERT_EXPIRED', async () => {
    await rejectsWith(
      verifyPckChain(parseDcapQuote(bytes()), { at: new Date('2053-07-01T01:00:00Z'), collateral: crlSource(c.crls) }),
      'CERT_EXPIRED',
    )
  })

  test('a chain to another root: CERT_UNTRUSTED_ROOT; with that root trusted, its revoked leaf: CERT_REVOKED', async () => {
    const quote = parseDcapQuote(dcapFixture('synthetic/tdx-quote-synthetic-chain.dat'))
    const at = new Date('2027-01-01T00:00:00Z')
    const collateral = crlSource('synthetic/x', 'synthetic/pck-crl-revoking-leaf.der')
    await rejectsWith(verifyPckChain(quote, { at, collateral }), 'CERT_UNTRUSTED_ROOT')
    await rejectsWith(verifyPckChain(quote, { at, collateral, trustedRoot: syntheticRoot() }), 'CERT_REVOKED')
  })

  test('a real chain against another trusted root: CERT_UNTRUSTED_ROOT', async () => {
    await rejectsWith(
      verifyPckChain(parseDcapQuote(bytes()), {
        at: c.at,
        collateral: crlSource(c.crls),
        trustedRoot: syntheticRoot(),
      }),
      'CERT_UNTRUSTED_ROOT',
    )
  })
})

describe('remembered PCK chain checks', () => {
  test('after a success the time, revocation, trust anchor and certification data type are still checked', async () => {
    const c = REAL_QUOTES['tdx-v4-trustee']
    const bytes = Uint8Array.from(dcapFixture(c.quote))
    const quote = parseDcapQuote(bytes)
    await verifyPckChain(quote, { at: c.at, collateral: crlSource(c.crls) })
    await rejectsWith(
      verifyPckChain(quote, { at: new Date('2053-07-01T01:00:00Z'), collateral: crlSource(c.crls) }),
      'CERT_EXPIRED',
    )
    await rejectsWith(
      verifyPckChain(quote, { at: c.at, collateral: crlSource(c.crls), trustedRoot: syntheticRoot() }),
      'CERT_UNTRUSTED_ROOT',
    )
    const typeAt = quote.qe.certData.byteOffset - bytes.byteOffset - 6
    bytes[typeAt] = 1
    await rejectsWith(
      verifyPckChain(parseDcapQuote(bytes), { at: c.at, collateral: crlSource(c.crls) }),
      'UNSUPPORTED_VERSION',
    )

    const synthetic = parseDcapQuote(dcapFixture('synthetic/tdx-quote-synthetic-chain.dat'))
    const at = new Date('2027-01-01T00:00:00Z')
    const revoking = crlSource('synthetic/x', 'synthetic/pck-crl-revoking-leaf.der')
    for (let i = 0; i < 2; i++) {
      await rejectsWith(
        verifyPckChain(synthetic, { at, collateral: revoking, trustedRoot: syntheticRoot() }),
        'CERT_REVOKED',
      )
    }
    await rejectsWith(verifyPckChain(synthetic, { at, collateral: revoking }), 'CERT_UNTRUSTED_ROOT')
  })
})
