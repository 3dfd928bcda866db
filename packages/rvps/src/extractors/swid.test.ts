import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { RvpsError } from '../errors.ts'
import { MapStorage } from '../map-storage-test-support.ts'
import { createRvps } from '../rvps.ts'
import { extractSwid } from './swid.ts'

const RIM = readFileSync(new URL('../../fixtures/swid/test-rim.b64', import.meta.url), 'utf8')

function b64(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64')
}

function manifest(meta: string, payload: string): string {
  return (
    '<SoftwareIdentity xmlns="http://standards.iso.org/iso/19770/-2/2015/schema.xsd"' +
    ' xmlns:rim="https://trustedcomputinggroup.org/resource/tcg-reference-integrity-manifest-rim-information-model/"' +
    ' xmlns:h="http://www.w3.org/2001/04/xmlenc#sha384">' +
    meta +
    payload +
    '</SoftwareIdentity>'
  )
}

const META = '<Meta edition="GPU-X" rim:PlatformManufacturerStr="ACME Big Co"/>'

function invalid(xml: string, message: RegExp): void {
  assert.throws(
    () => extractSwid(b64(xml)),
    (error: unknown) => error instanceof RvpsError && error.code === 'INVALID_PAYLOAD' && message.test(error.message),
  )
}

test('the upstream NVIDIA H100 RIM vector', () => {
  const values = extractSwid(RIM)
  assert.deepEqual(
    values.map((v) => v.name),
    [1, 2, 3, 4, 5, 6, 9, 11, 12].map((i) => `NVIDIA_Corporation.GPU.measurement_${i}`),
  )
  const twelve = values.find((v) => v.name === 'NVIDIA_Corporation.GPU.measurement_12')
  assert.deepEqual(twelve?.value, [
    '758af96044c700f98a85347be27124d51c05b8784ba216b629b9aaab6d538c759aed9922a133e4ac473564d359b271d5',
    '7df046f26d0536f3a0b06d288ce6e5c659cad7a9c45cbd3a82c5df248755e4ddeff5871045acc6366ccab178b0d6568e',
    'cb09606fa5c052f0bc4cfa86dbeb4e3e70500bfbeeb7193256ac24ed4464a607366df16a3547b7c17ebd741eb43f1adf',
  ])
})

test('the RIM registers through the store and is queried by name', async () => {
  const rvps = createRvps({ storage: new MapStorage(), now: () => new Date('2026-12-01T00:00:00Z') })
  const records = await rvps.register({ version: '0.1.0', type: 'swid', payload: RIM })
  assert.equal(records.length, 9)
  assert.deepEqual(await rvps.query('NVIDIA_Corporation.GPU.measurement_1'), [
    'b558fdac9af53b91ff3bdb06ff589859d6fbc1050d875c88329347f24ff7b3d11ac53688ba56db03cf8751913107e0db',
  ])
})

test('names: spaces in the manufacturer and dashes anywhere become underscores', () => {
  const values = extractSwid(
    b64(manifest(META, '<Payload><Resource type="Measurement" index="3-a" h:Hash0="ab"/></Payload>')),
  )
  assert.deepEqual(values, [{ name: 'ACME_Big_Co.GPU_X.measurement_3_a', value: ['ab'] }])
})

test('hashes: zero ones skipped, read until the first missing index, namespace by URI not prefix', () => {
  const payload =
    '<x:Payload xmlns:x="http://standards.iso.org/iso/19770/-2/2015/schema.xsd" xmlns:s="http://www.w3.org/2001/04/xmlenc#sha384">' +
    '<x:Resource type="Measurement" index="0" s:Hash0="000" h:Hash1="" s:Hash2="ff" s:Hash4="ee"/>' +
    '<Resource type="Measurement" index="1" h:Hash0="0000"/>' +
    '<Resource type="Measurement" index="2" Hash0="aa"/>' +
    '<Resource type="File" index="3" h:Hash0="bb"/>' +
    '<Group><Resource type="Measurement" index="4" h:Hash0="cc"/></Group>' +
    '</x:Payload>'
  assert.deepEqual(extractSwid(b64(manifest(META, payload))), [
    { name: 'ACME_Big_Co.GPU_X.measurement_0', value: ['ff'] },
    { name: 'ACME_Big_Co.GPU_X.measurement_4', value: ['cc'] },
  ])
})

test('manifest shape errors', () => {
  const payload = '<Payload/>'
  invalid(manifest('', payload), /no Meta element/)
  invalid(manifest('<Meta edition="GPU"/>', payload), /no PlatformManufacturerStr/)
  invalid(manifest('<Meta edition="GPU" PlatformManufacturerStr="A"/>', payload), /no PlatformManufacturerStr/)
  invalid(manifest('<Meta rim:PlatformManufacturerStr="A"/>', payload), /no edition/)
  invalid(manifest(META, ''), /no Payload element/)
  invalid(manifest(META, '<Payload><Resource type="Measurement"/></Payload>'), /no index/)
  invalid(manifest(META, '<Payload>'), /unclosed element|does not match/)
  assert.throws(
    () => extractSwid('not base64!'),
    (e: unknown) => e instanceof RvpsError && e.code === 'INVALID_PAYLOAD',
  )
})
