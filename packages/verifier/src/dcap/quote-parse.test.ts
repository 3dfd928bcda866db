import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { readFileSync } from 'node:fs'
import { VerificationError } from '../verifier.ts'
import { sgxQuoteClaims } from '../sgx/sgx-claims.ts'
import { tdxQuoteClaims } from '../tdx/tdx-claims.ts'
import { dcapFixture } from './quote-fixtures.ts'
import { parseDcapQuote, quoteInitDataField, quoteReportData } from './quote-parse.ts'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

function code(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    assert.ok(error instanceof VerificationError, String(error))
    return error.code
  }
  return 'accepted'
}

describe('DCAP quote parsing', () => {
  test('tdx_quote_4.dat is a v4 TDX 1.0 quote whose claims are upstream golden (without the event log)', () => {
    const quote = parseDcapQuote(dcapFixture('tdx_quote_4.dat'))
    assert.equal(quote.header.version, 4)
    assert.equal(quote.bodyKind, 'td10')
    assert.equal(quote.qe.certType, 5)
    const golden = JSON.parse(
      readFileSync(new URL('../../fixtures/dcap/parse_tdx_claims_expected.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>
    delete golden['uefi_event_logs']
    delete golden['platform_instance_id'] // from the PCK certificate: pck-claims
    assert.deepEqual(tdxQuoteClaims(quote), golden)
  })

  test('tdx_quote_5.dat is a v5 TDX 1.5 quote with type/size claims and the 1.5 body fields', () => {
    const quote = parseDcapQuote(dcapFixture('tdx_quote_5.dat'))
    assert.equal(quote.header.version, 5)
    assert.equal(quote.bodyKind, 'td15')
    const claims = tdxQuoteClaims(quote) as { quote: Record<string, Record<string, string> | string> }
    assert.equal(claims.quote['type'], '0300')
    assert.equal(claims.quote['size'], '88020000') // 648
    const body = claims.quote['body'] as Record<string, string>
    assert.equal(
      body['mr_td'],
      'dfba221b48a22af8511542ee796603f37382800840dcd978703909bf8e64d4c8a1e9de86e7c9638bfcba422f3886400a',
    )
    assert.ok(body['tcb_svn']!.startsWith('05010200'))
    assert.ok(body['report_data']!.startsWith('6d6ab13b046cff60'))
    assert.equal(body['tee_tcb_svn2']!.length, 32)
    assert.equal(body['mr_servicetd']!.length, 96)
  })

  test('occlum_quote.dat (SGX v3) gives upstream sgx claims', () => {
    const quote = parseDcapQuote(dcapFixture('occlum_quote.dat'))
    assert.equal(quote.bodyKind, 'sgx')
    const z = (n: number): string => '00'.repeat(n)
    assert.deepEqual(sgxQuoteClaims(quote), {
      header: {
        version: '0300',
        att_key_type: '0200',
        att_key_data_0: '00000000',
        qe_svn: '0800',
        pce_svn: '0d00',
        vendor_id: '939a7233f79c4ca9940a0db3957f0607',
        user_data: 'dccde9b31ce8860548173bb4a2a57a1600000000',
      },
      body: {
        cpu_svn: '06060c0cffff00000000000000000000',
        misc_select: '01000000',
        reserved1: z(12),
        isv_ext_prod_id: z(16),
        'attributes.flags': '0700000000000000',
        'attributes.xfrm': 'e700000000000000',
        mr_enclave: '8f173e4613ff05c52aaf04162d234edae8c9977eae47eb2299ae16a553011c68',
        reserved2: z(32),
        mr_signer: '83d719e77deaca1470f6baf62a4d774303c899db69020f9c70ee1dfc08c7ce9e',
        reserved3: z(32),
        config_id: z(64),
        isv_prod_id: '0000',
        isv_svn: '0000',
        config_svn: '0000',
        reserved4: z(42),
        isv_family_id: z(16),
        report_data: '74657374' + z(60),
      },
      report_data: '74657374' + z(60),
      init_data: z(64),
    })
    assert.equal(hex(quoteReportData(quote)), '74657374' + z(60))
    assert.equal(quoteInitDataField(quote).length, 64)
  })

  test('after the signature data only zero padding of the two real buffer shapes is accepted', () => {
    // dcap-rs: 3065 zero bytes to an 8000-byte buffer; dcap-qvl: 70 zero bytes (a v4 TD quote sized as v5).
    assert.equal(parseDcapQuote(dcapFixture('drs-tdx-quote.dat')).bodyKind, 'td10')
    assert.equal(parseDcapQuote(dcapFixture('qvl-tdx-quote.dat')).bodyKind, 'td10')
    const drs = dcapFixture('drs-tdx-quote.dat')
    const qvl = dcapFixture('qvl-tdx-quote.dat')
    const exact = dcapFixture('tdx_quote_4.dat')
    const sgx = dcapFixture('qvl-sgx-quote.dat')
    const padded = (bytes: Uint8Array, n: number): Uint8Array =>
      Uint8Array.from(Buffer.concat([bytes, Buffer.alloc(n)]))
    const changed = (bytes: Uint8Array, at: number): Uint8Array => {
      const out = Uint8Array.from(bytes)
      out[at] = 1
      return out
    }
    const refused = [
      drs.subarray(0, drs.length - 1), // 7999 bytes
      padded(drs, 1), // 8001 bytes
      changed(drs, drs.length - 1), // non-zero padding
      qvl.subarray(0, qvl.length - 1), // 69 bytes of padding
      padded(qvl, 1), // 71
      changed(qvl, qvl.length - 70),
      padded(exact, 1),
      padded(exact, 69),
      padded(sgx, 70), // the v5-sized shape is a TD quote's only
      Uint8Array.from(Buffer.concat([exact, Buffer.from('\nextra bytes\n')])), // go-tdx-guest's test trailer
    ]
    for (const [i, bytes] of refused.entries()) {
      assert.equal(
        code(() => parseDcapQuote(bytes)),
        'EVIDENCE_MALFORMED',
        `case ${String(i)}`,
      )
    }
    assert.equal(parseDcapQuote(padded(exact, 70)).bodyKind, 'td10')
    assert.equal(parseDcapQuote(padded(sgx, 8000 - sgx.length)).bodyKind, 'sgx')
    assert.equal(parseDcapQuote(dcapFixture('gtg-v4-quote.dat').subarray(0, 4935)).bodyKind, 'td10')
  })

  test('the PCK chain (certification data type 5) is strict PEM: a changed newline or NUL is CERT_CHAIN_INVALID', () => {
    const bytes = dcapFixture('tdx_quote_4.dat')
    const quote = parseDcapQuote(bytes)
    const at = quote.qe.certData.byteOffset - bytes.byteOffset
    const text = Buffer.from(quote.qe.certData).toString('latin1')
    const edits: [string, number, number][] = [
      ['a newline inside a block to a tab', text.indexOf('\n', 100), 0x09],
      ['a newline inside a block to a space', text.indexOf('\n', 100), 0x20],
      ['the newline between blocks to CR', text.indexOf('-----\n-----BEGIN') + 5, 0x0d],
      ['the final NUL to a space', text.length - 1, 0x20],
      ['the final NUL to a newline', text.length - 1, 0x0a],
    ]
    for (const [name, offset, value] of edits) {
      const changed = Uint8Array.from(bytes)
      changed[at + offset] = value
      assert.equal(
        code(() => parseDcapQuote(changed)),
        'CERT_CHAIN_INVALID',
        name,
      )
    }
    // Chains that passed are remembered per exact bytes (two platforms side by side); refusals are not.
    const sgx = dcapFixture('qvl-sgx-quote.dat')
    const changed = Uint8Array.from(bytes)
    changed[at + text.length - 1] = 0x20
    for (let i = 0; i < 2; i++) {
      assert.equal(parseDcapQuote(bytes).bodyKind, 'td10')
      assert.equal(parseDcapQuote(sgx).bodyKind, 'sgx')
      assert.equal(
        code(() => parseDcapQuote(changed)),
        'CERT_CHAIN_INVALID',
      )
    }
  })

  test('every truncation of a quote is EVIDENCE_MALFORMED', () => {
    const bytes = dcapFixture('tdx_quote_4.dat')
    const quote = parseDcapQuote(bytes)
    const needed = quote.qe.certData.byteOffset + quote.qe.certData.length - bytes.byteOffset
    for (let n = 0; n < needed; n += n < 700 ? 1 : 97) {
      assert.equal(
        code(() => parseDcapQuote(bytes.subarray(0, n))),
        'EVIDENCE_MALFORMED',
        `length ${String(n)}`,
      )
    }
  })

  test('versions other than 3-5, other key types and unknown TEE types are refused', () => {
    const bytes = Uint8Array.from(dcapFixture('tdx_quote_4.dat'))
    bytes[0] = 2
    assert.equal(
      code(() => parseDcapQuote(bytes)),
      'UNSUPPORTED_VERSION',
    )
    bytes[0] = 4
    bytes[2] = 3
    assert.equal(
      code(() => parseDcapQuote(bytes)),
      'UNSUPPORTED_VERSION',
    )
    bytes[2] = 2
    bytes[4] = 0x7f
    assert.equal(
      code(() => parseDcapQuote(bytes)),
      'EVIDENCE_MALFORMED',
    )
    bytes[4] = 0x81
    bytes[0] = 3 // a v3 quote with a TDX body
    assert.equal(
      code(() => parseDcapQuote(bytes)),
      'EVIDENCE_MALFORMED',
    )
  })
})
