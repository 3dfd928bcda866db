import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { test } from 'node:test'
import { objectIdentifier, octetString, sequence, smallInteger, time, unsignedInteger } from './der-writer.ts'

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

test('lengths: short form below 128, long form above', () => {
  assert.equal(hex(octetString(new Uint8Array(3))).slice(0, 4), '0403')
  assert.equal(hex(octetString(new Uint8Array(200))).slice(0, 6), '0481c8')
  assert.equal(hex(octetString(new Uint8Array(300))).slice(0, 8), '0482012c')
})

test('integers are minimal and padded when the top bit is set', () => {
  assert.equal(hex(smallInteger(5)), '020105')
  assert.equal(hex(unsignedInteger(Buffer.from([0x00, 0x00, 0x7f]))), '02017f')
  assert.equal(hex(unsignedInteger(Buffer.from([0x80]))), '02020080')
  assert.equal(hex(unsignedInteger(Buffer.from([]))), '020100')
})

test('object identifiers use base-128 arcs', () => {
  assert.equal(hex(objectIdentifier('1.2.840.10045.2.1')), '06072a8648ce3d0201')
  assert.equal(hex(objectIdentifier('2.5.29.17')), '0603551d11')
})

test('times: UTCTime through 2049, GeneralizedTime from 2050', () => {
  assert.equal(
    Buffer.from(time(new Date('2049-12-31T23:59:59Z')))
      .toString('latin1')
      .slice(2),
    '491231235959Z',
  )
  assert.equal(
    Buffer.from(time(new Date('2050-01-01T00:00:00Z')))
      .toString('latin1')
      .slice(2),
    '20500101000000Z',
  )
  assert.equal(time(new Date('2049-01-01T00:00:00Z'))[0], 0x17)
  assert.equal(time(new Date('2050-01-01T00:00:00Z'))[0], 0x18)
})

test('a sequence wraps its items; garbage is not a certificate', () => {
  assert.equal(hex(sequence(smallInteger(1), smallInteger(2))), '3006020101020102')
  assert.throws(() => new X509Certificate(sequence(smallInteger(1))))
})
