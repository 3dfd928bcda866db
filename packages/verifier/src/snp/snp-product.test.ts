import assert from 'node:assert/strict'
import { test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { decodeTcb, encodeTcb, snpProduct } from './snp-product.ts'

test('SNP product from CPUID family/model', () => {
  const p = (cpuidFamId: number, cpuidModId: number): string => snpProduct({ cpuidFamId, cpuidModId })
  assert.equal(p(0x19, 0x01), 'Milan')
  assert.equal(p(0x19, 0x0f), 'Milan')
  assert.equal(p(0x19, 0x11), 'Genoa')
  assert.equal(p(0x19, 0xa0), 'Genoa')
  assert.equal(p(0x1a, 0x02), 'Turin')
  assert.equal(p(0x1a, 0x11), 'Turin')
  for (const [f, m] of [
    [0x19, 0x20],
    [0x1a, 0x12],
    [0x17, 0x01],
    [0, 0],
  ] as const) {
    assert.throws(
      () => p(f, m),
      (e: unknown) => e instanceof VerificationError && e.code === 'UNSUPPORTED_VERSION',
    )
  }
})

test('SNP TCB layouts: Milan/Genoa bl,tee,…,snp,ucode; Turin fmc,bl,tee,snp,…,ucode', () => {
  const raw = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8])
  assert.deepEqual(decodeTcb(raw, 'Milan'), { bootloader: 1, tee: 2, snp: 7, microcode: 8 })
  assert.deepEqual(decodeTcb(raw, 'Turin'), { fmc: 1, bootloader: 2, tee: 3, snp: 4, microcode: 8 })
  assert.deepEqual(Array.from(encodeTcb(decodeTcb(raw, 'Genoa'), 'Genoa')), [1, 2, 0, 0, 0, 0, 7, 8])
  assert.deepEqual(Array.from(encodeTcb(decodeTcb(raw, 'Turin'), 'Turin')), [1, 2, 3, 4, 0, 0, 0, 8])
})
