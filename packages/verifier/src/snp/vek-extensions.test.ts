import assert from 'node:assert/strict'
import { test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { parseSnpReport } from './snp-report.ts'
import { checkSnpTcb } from './snp-tcb.ts'
import { snpFixture } from './snp-test-support.ts'
import { vekExtensions } from './vek-extensions.ts'

const counting = Array.from({ length: 64 }, (_, i) => i)

test('VEK extensions: legacy raw and DER OCTET STRING hwIDs both read', () => {
  for (const name of ['trustee-vcek-hwid-legacy.der', 'trustee-vcek-hwid-der.der']) {
    const ext = vekExtensions(snpFixture(name))
    assert.deepEqual(Array.from(ext.hwid ?? []), counting, name)
    assert.equal(typeof ext.tcb.microcode, 'number')
  }
})

test('VEK extensions: SPLs of real VCEK/VLEKs; Turin has FMC and an 8-byte hwID; a VLEK has no hwID', () => {
  const milan = vekExtensions(snpFixture('oak-milan-oc-vcek.der'))
  assert.deepEqual(milan.tcb, { bootloader: 4, tee: 0, snp: 24, microcode: 219, fmc: undefined })
  assert.equal(milan.hwid?.length, 64)
  const turin = vekExtensions(snpFixture('oak-turin-vcek.der'))
  assert.deepEqual(turin.tcb, { bootloader: 1, tee: 0, snp: 2, microcode: 71, fmc: 0 })
  assert.equal(Buffer.from(turin.hwid ?? []).toString('hex'), '3b42092f69c656d3')
  const vlek = vekExtensions(snpFixture('trustee-vlek.der'))
  assert.equal(vlek.hwid, undefined)
  assert.deepEqual(vlek.tcb, { bootloader: 4, tee: 0, snp: 24, microcode: 217, fmc: undefined })
})

test('VEK extensions: garbage is CERT_CHAIN_INVALID', () => {
  for (const bad of [new Uint8Array([0x30, 0x05, 0x01]), new Uint8Array([0x04, 0x00])]) {
    assert.throws(
      () => vekExtensions(bad),
      (e: unknown) => e instanceof VerificationError && e.code === 'CERT_CHAIN_INVALID',
    )
  }
})

test('SNP TCB: a VCEK for another microcode SPL is TCB_OUT_OF_DATE; for another chip CERT_CHAIN_INVALID', () => {
  const report = parseSnpReport(snpFixture('oak-milan-oc-report.bin'))
  checkSnpTcb(report, 'Milan', 'vcek', vekExtensions(snpFixture('selfmade-vcek.der')))
  assert.throws(
    () => {
      checkSnpTcb(report, 'Milan', 'vcek', vekExtensions(snpFixture('selfmade-vcek-ucode220.der')))
    },
    (e: unknown) => e instanceof VerificationError && e.code === 'TCB_OUT_OF_DATE',
  )
  assert.throws(
    () => {
      checkSnpTcb(report, 'Milan', 'vcek', vekExtensions(snpFixture('oak-milan-rk-vcek.der')))
    },
    (e: unknown) => e instanceof VerificationError && e.code === 'CERT_CHAIN_INVALID',
  )
  // A VLEK is not tied to a chip: only its SPLs count.
  const vlekReport = parseSnpReport(snpFixture('trustee-vlek-report.bin'))
  checkSnpTcb(vlekReport, 'Milan', 'vlek', vekExtensions(snpFixture('trustee-vlek.der')))
})
