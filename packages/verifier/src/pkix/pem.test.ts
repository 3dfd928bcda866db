import assert from 'node:assert/strict'
import { test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { fixtureText } from '../nvidia/nvidia-test-evidence.ts'
import { derToPem, strictPemCertificates } from './pem.ts'

const chain = fixtureText('hopper_cert_chain_case1.txt') // five blocks joined by "\n", no final newline
const refusal = (text: string, ends: readonly string[] = ['', '\n']): string => {
  try {
    strictPemCertificates(text, 'CERT_CHAIN_INVALID', ends)
    return 'accepted'
  } catch (error) {
    assert.ok(error instanceof VerificationError, String(error))
    return error.code
  }
}

test('strict PEM: the exact blocks, one newline apart, with one of the allowed endings', () => {
  const ders = strictPemCertificates(chain, 'CERT_CHAIN_INVALID', [''])
  assert.equal(ders.length, 5)
  assert.equal(ders.map((der) => derToPem(der).trimEnd()).join('\n'), chain)
  assert.equal(strictPemCertificates(`${chain}\n`, 'CERT_CHAIN_INVALID', ['', '\n']).length, 5)
  assert.equal(strictPemCertificates(`${chain}\n\0`, 'CERT_CHAIN_INVALID', ['\n', '\n\0']).length, 5)
  // 76-column lines are one strict form too (a real PCK chain uses them).
  const b64 = Buffer.from(ders[0] ?? new Uint8Array()).toString('base64')
  const wide = `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{76})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`
  assert.equal(strictPemCertificates(wide, 'CERT_CHAIN_INVALID', ['\n']).length, 1)
})

test('strict PEM: any other byte outside or inside the blocks is refused', () => {
  const cases = [
    `${chain}\n\n`, // two final newlines
    `# comment\n${chain}`,
    chain.replace('-----\n-----BEGIN', '-----\n\n-----BEGIN'), // blank line between blocks
    chain.replace('-----\n-----BEGIN', '-----\r\n-----BEGIN'),
    chain.replace(/\n(?=[A-Za-z0-9+/])/, '\r\n'), // CRLF inside a block
    chain.replace(/\n(?=[A-Za-z0-9+/])/, ' \n'), // a space at a line end
    chain.replace(/(-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/]{64})\n([A-Za-z0-9+/]{64})\n/, '$1$2\n'), // a 128-column line
    chain.replace('A=\n-----END', 'B=\n-----END'), // non-canonical padding bits
    chain.replace('-----BEGIN CERTIFICATE-----', '-----BEGIN CERTIFICATE----- '),
    chain.slice(0, -1),
    '',
  ]
  for (const [i, text] of cases.entries()) assert.equal(refusal(text), 'CERT_CHAIN_INVALID', `case ${String(i)}`)
  assert.equal(refusal(`${chain}\n`, ['']), 'CERT_CHAIN_INVALID')
})
