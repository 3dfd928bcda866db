import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RvpsError, type RvpsErrorCode } from './errors.ts'
import { MapStorage } from './map-storage-test-support.ts'
import type { ReferenceValueRecord } from './reference-value.ts'
import { createRvps, REFERENCE_VALUE_NAMESPACE } from './rvps.ts'
import { sampleRegisterMessage } from './sample-register-message.ts'

function sample(values: Record<string, unknown>): { version: string; type: string; payload: string } {
  return { version: '0.1.0', type: 'sample', payload: Buffer.from(JSON.stringify(values)).toString('base64') }
}

function setup(start = '2026-12-01T22:32:05.750Z') {
  const storage = new MapStorage()
  let time = new Date(start)
  const expired: ReferenceValueRecord[] = []
  const rvps = createRvps({ storage, now: () => time, onExpired: (record) => expired.push(record) })
  return {
    storage,
    rvps,
    expired,
    setNow: (iso: string) => {
      time = new Date(iso)
    },
  }
}

function isRvpsError(code: RvpsErrorCode, message?: RegExp) {
  return (error: unknown) => error instanceof RvpsError && error.code === code && (message?.test(error.message) ?? true)
}

function stored(storage: MapStorage, key: string): string | undefined {
  const bytes = storage.entries.get(`${REFERENCE_VALUE_NAMESPACE}\u0000${key}`)
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes)
}

test('register then query: one value per sample member, stored in upstream layout', async () => {
  const { storage, rvps } = setup()
  const records = await rvps.register(sample({ svn: ['1'], launch_digest: 'abcde', platform: { major: 1 } }))
  assert.deepEqual(
    records.map((r) => r.name),
    ['svn', 'launch_digest', 'platform'],
  )
  assert.deepEqual(await rvps.query('svn'), ['1'])
  assert.equal(await rvps.query('launch_digest'), 'abcde')
  assert.deepEqual(await rvps.query('platform'), { major: 1 })
  assert.equal(await rvps.query('missing'), null)
  // now + 12 months, sub-seconds dropped, serde field order.
  assert.equal(
    stored(storage, 'svn'),
    '{"version":"0.1.0","name":"svn","expiration":"2027-12-01T22:32:05Z","value":["1"]}',
  )
})

test('the message may come as JSON text; kbs-client sample messages register', async () => {
  const { rvps } = setup()
  await rvps.register(
    JSON.stringify(sampleRegisterMessage('major_version', '1', { asInteger: true, asSingleValue: true })),
  )
  assert.equal(await rvps.query('major_version'), 1)
})

test('re-registering a name overwrites it', async () => {
  const { rvps } = setup()
  await rvps.register(sample({ svn: ['1'] }))
  await rvps.register(sample({ svn: ['2', '3'] }))
  assert.deepEqual(await rvps.query('svn'), ['2', '3'])
  assert.equal((await rvps.list()).length, 1)
})

test('an empty sample object registers nothing', async () => {
  const { rvps } = setup()
  assert.deepEqual(await rvps.register(sample({})), [])
  assert.deepEqual(await rvps.list(), [])
})

test('expiry is enforced on query and explained by lookup and onExpired', async () => {
  const { rvps, expired, setNow } = setup('2026-01-31T10:00:00Z')
  await rvps.register(sample({ svn: ['1'] }))
  setNow('2027-01-31T10:00:00.000Z') // exactly the expiration: still valid
  assert.deepEqual(await rvps.query('svn'), ['1'])
  assert.deepEqual(await rvps.lookup('svn'), { status: 'found', value: ['1'], expiration: '2027-01-31T10:00:00Z' })
  assert.equal(expired.length, 0)
  setNow('2027-01-31T10:00:00.001Z')
  assert.equal(await rvps.query('svn'), null)
  assert.deepEqual(await rvps.lookup('svn'), { status: 'expired', expiration: '2027-01-31T10:00:00Z' })
  assert.deepEqual(
    expired.map((r) => r.name),
    ['svn', 'svn'],
  )
  assert.deepEqual(await rvps.lookup('other'), { status: 'absent' })
  // get still shows the record, flagged.
  assert.deepEqual(await rvps.get('svn'), {
    version: '0.1.0',
    name: 'svn',
    expiration: '2027-01-31T10:00:00Z',
    value: ['1'],
    expired: true,
  })
  assert.equal(await rvps.get('other'), null)
})

test('12 months from Feb 29 is Feb 28, as chrono checked_add_months', async () => {
  const { rvps } = setup('2028-02-29T23:59:59.999Z')
  const [record] = await rvps.register(sample({ a: 1 }))
  assert.equal(record?.expiration, '2029-02-28T23:59:59Z')
})

test('an explicit expiration overrides the default; invalid ones are refused', async () => {
  const { rvps } = setup()
  const [record] = await rvps.register(sample({ a: 1 }), { expiration: new Date('2030-06-15T12:00:00.900Z') })
  assert.equal(record?.expiration, '2030-06-15T12:00:00Z')
  await assert.rejects(
    rvps.register(sample({ a: 1 }), { expiration: new Date(Number.NaN) }),
    isRvpsError('INVALID_EXPIRATION'),
  )
  await assert.rejects(
    rvps.register(sample({ a: 1 }), { expiration: new Date('+010000-01-01T00:00:00Z') }),
    isRvpsError('INVALID_EXPIRATION'),
  )
})

test('list flags expired records and decodes encoded names', async () => {
  const { rvps, setNow } = setup('2026-01-01T00:00:00Z')
  await rvps.register(sample({ old: 1 }))
  setNow('2026-06-01T00:00:00Z')
  await rvps.register(sample({ 'rvps:///coco/kata/tdx/rtmr0:v1': ['ab'], fresh: 2 }))
  setNow('2027-03-01T00:00:00Z')
  const entries = await rvps.list()
  assert.deepEqual(entries.map((e) => [e.name, e.expired]).sort(), [
    ['fresh', false],
    ['old', true],
    ['rvps:///coco/kata/tdx/rtmr0:v1', false],
  ])
  assert.deepEqual(await rvps.query('rvps:///coco/kata/tdx/rtmr0:v1'), ['ab'])
})

test('delete removes a value and says whether it existed', async () => {
  const { rvps } = setup()
  await rvps.register(sample({ a: 1, 'with space': 2 }))
  assert.equal(await rvps.delete('a'), true)
  assert.equal(await rvps.delete('a'), false)
  assert.equal(await rvps.delete('with space'), true)
  assert.equal(await rvps.query('a'), null)
  assert.deepEqual(await rvps.list(), [])
})

test('payload errors of the sample type', async () => {
  const { rvps } = setup()
  const withPayload = (payload: string) => ({ version: '0.1.0', type: 'sample', payload })
  await assert.rejects(rvps.register(withPayload('e30')), isRvpsError('INVALID_PAYLOAD', /standard base64/))
  await assert.rejects(rvps.register(withPayload('e3 0=')), isRvpsError('INVALID_PAYLOAD', /standard base64/))
  await assert.rejects(rvps.register(withPayload('e31=')), isRvpsError('INVALID_PAYLOAD', /canonical/))
  await assert.rejects(rvps.register(withPayload('__8=')), isRvpsError('INVALID_PAYLOAD', /standard base64/))
  await assert.rejects(rvps.register(withPayload('/w==')), isRvpsError('INVALID_PAYLOAD', /UTF-8/))
  await assert.rejects(rvps.register(withPayload('e30K e30=')), isRvpsError('INVALID_PAYLOAD'))
  const b64 = (text: string) => withPayload(Buffer.from(text).toString('base64'))
  await assert.rejects(rvps.register(b64('{"a":')), isRvpsError('INVALID_PAYLOAD', /not valid JSON/))
  await assert.rejects(rvps.register(b64('["a"]')), isRvpsError('INVALID_PAYLOAD', /JSON object/))
  await assert.rejects(rvps.register(b64('null')), isRvpsError('INVALID_PAYLOAD', /JSON object/))
  await assert.rejects(
    rvps.register(b64('{"a":[1, -9007199254740992]}')),
    isRvpsError('INVALID_PAYLOAD', /integer -9007199254740992/),
  )
  await rvps.register(
    b64('{"a":[9007199254740991, -9007199254740991, 1e300, 2.5], "b\\"-99999999999999999":"-99999999999999999"}'),
  )
  assert.deepEqual(await rvps.query('a'), [9007199254740991, -9007199254740991, 1e300, 2.5])
  assert.equal(await rvps.query('b"-99999999999999999'), '-99999999999999999')
})

test('unsupported types are refused', async () => {
  const { rvps } = setup()
  await assert.rejects(
    rvps.register({ version: '0.1.0', type: 'in-toto', payload: 'e30=' }),
    isRvpsError('UNSUPPORTED_TYPE', /"in-toto"/),
  )
  await assert.rejects(
    rvps.register({ version: '0.1.0', type: 'toString', payload: 'e30=' }),
    isRvpsError('UNSUPPORTED_TYPE'),
  )
})

test('a bad name refuses the whole message before anything is written', async () => {
  const { storage, rvps } = setup()
  await assert.rejects(rvps.register(sample({ good: 1, '': 2 })), isRvpsError('INVALID_NAME', /empty/))
  await assert.rejects(rvps.register(sample({ good: 1, 'a\nb': 2 })), isRvpsError('INVALID_NAME', /control/))
  assert.equal(storage.entries.size, 0)
  // A name that can never be registered is absent, not an error, for readers.
  assert.equal(await rvps.query(''), null)
  assert.deepEqual(await rvps.lookup('a\u0000'), { status: 'absent' })
  assert.equal(await rvps.get(':'.repeat(189)), null)
  assert.equal(await rvps.delete(''), false)
})

test('storage failures and corrupt records are STORAGE errors', async () => {
  const { storage, rvps } = setup()
  await rvps.register(sample({ a: 1 }))
  storage.entries.set(`${REFERENCE_VALUE_NAMESPACE}\u0000b`, new TextEncoder().encode('{"name":"b"}'))
  await assert.rejects(rvps.query('b'), isRvpsError('STORAGE', /expiration/))
  await assert.rejects(rvps.list(), isRvpsError('STORAGE', /"b" is corrupt/))
  storage.entries.set(
    `${REFERENCE_VALUE_NAMESPACE}\u0000b`,
    new TextEncoder().encode('{"name":"c","expiration":"2030-01-01T00:00:00Z","value":1}'),
  )
  await assert.rejects(rvps.get('b'), isRvpsError('STORAGE', /names another value/))
  storage.entries.set(
    `${REFERENCE_VALUE_NAMESPACE}\u0000b`,
    new TextEncoder().encode('{"name":"b","expiration":"2030-02-30T00:00:00Z","value":1}'),
  )
  await assert.rejects(rvps.get('b'), isRvpsError('STORAGE', /expiration/))
  // A record written without `version` (upstream default) reads as 0.1.0.
  storage.entries.set(
    `${REFERENCE_VALUE_NAMESPACE}\u0000b`,
    new TextEncoder().encode('{"name":"b","expiration":"2030-01-01T00:00:00Z","value":null}'),
  )
  assert.deepEqual(await rvps.get('b'), {
    version: '0.1.0',
    name: 'b',
    expiration: '2030-01-01T00:00:00Z',
    value: null,
    expired: false,
  })
  assert.equal(await rvps.query('b'), null)
  storage.failing = true
  await assert.rejects(rvps.query('a'), isRvpsError('STORAGE', /failed to read/))
  await assert.rejects(rvps.register(sample({ a: 2 })), isRvpsError('STORAGE', /failed to write/))
  await assert.rejects(rvps.list(), isRvpsError('STORAGE', /failed to list/))
  await assert.rejects(rvps.delete('a'), isRvpsError('STORAGE', /failed to delete/))
})
