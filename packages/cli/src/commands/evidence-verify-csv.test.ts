import assert from 'node:assert/strict'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { captureIo } from '../captured-io.ts'
import { main } from '../main.ts'

const fixtures = new URL('../../../verifier/fixtures/csv/', import.meta.url).pathname
const tmp = mkdtempSync(join(tmpdir(), 'carapace-evidence-csv-'))
after(() => {
  rmSync(tmp, { recursive: true, force: true })
})

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo()
  const code = await main(['evidence', 'verify', '--tee', 'csv', ...argv], io)
  return { code, out: io.out(), err: io.err() }
}

test('evidence verify --tee csv: the real trustee evidence offline stops at the missing HSK/CEK, naming the chip', async () => {
  const { code, out, err } = await run('--evidence', join(fixtures, 'csv_evidence.json'))
  assert.notEqual(code, 0)
  assert.equal(out, '')
  assert.match(err, /COLLATERAL_UNAVAILABLE/)
  assert.match(err, /KPA64911240507/)
})

test('evidence verify --tee csv --collateral DIR: an HSK/CEK in hsk_cek/<chip>/ is used (here one not under Hygon’s HRK)', async () => {
  const dir = join(tmp, 'collateral')
  mkdirSync(join(dir, 'hsk_cek', 'KPA64911240507'), { recursive: true })
  copyFileSync(join(fixtures, 'synthetic/hsk_cek.cert'), join(dir, 'hsk_cek', 'KPA64911240507', 'hsk_cek.cert'))
  const { code, err } = await run('--evidence', join(fixtures, 'csv_evidence.json'), '--collateral', dir)
  assert.notEqual(code, 0)
  assert.match(err, /CERT_UNTRUSTED_ROOT/)
})

test('evidence verify --tee hygondcu: the HSK/CEK come from --collateral DIR by chip; the synthetic chain is not under Hygon’s HRK', async () => {
  const dcu = new URL('../../../verifier/fixtures/hygondcu/', import.meta.url).pathname
  const reportData = readFileSync(join(dcu, 'report-data.hex'), 'utf8').trim()
  const args = ['--evidence', join(dcu, 'evidence.json'), '--report-data', reportData]
  const io = captureIo()
  const code = await main(
    ['evidence', 'verify', '--tee', 'hygondcu', ...args, '--collateral', join(dcu, 'collateral')],
    io,
  )
  assert.notEqual(code, 0)
  assert.match(io.err(), /CERT_UNTRUSTED_ROOT/)
  const offline = captureIo()
  assert.notEqual(await main(['evidence', 'verify', '--tee', 'hygondcu', ...args], offline), 0)
  assert.match(offline.err(), /COLLATERAL_UNAVAILABLE.*DCU00000000000A1/)
})
