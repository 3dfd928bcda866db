#!/usr/bin/env node
// Builds the synthetic Hygon CSV fixtures (packages/verifier/fixtures/csv/synthetic/): an SM2 PKI of
// our own (HRK → HSK → CEK → PEK, and a second HRK), v1 and v2 attestation reports signed by its PEK
// and the evidence JSON around them. The v2 report's RTMR1–4 are the SM3 replay of the real Hygon
// CSV event log in fixtures/eventlog/CCEL_data_csv, which the v2 evidence carries. Keys are fresh on
// every run (SM2 signing is randomized), so the outputs are committed and this is rerun only to
// change them. Run after `npx tsc -b`: node scripts/build-csv-fixtures.mjs
import { Buffer } from 'node:buffer'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('../packages/verifier/', import.meta.url).pathname
const dist = (path) => import(join(root, 'dist', path))
const { syntheticPki } = await dist('csv/csv-synthetic-pki.js')
const { syntheticCsvEvidence, syntheticReportBytes } = await dist('csv/csv-synthetic-report.js')
const { parseCcEventLog } = await dist('eventlog/ccel-parse.js')
const { replayRegister } = await dist('eventlog/rtmr-replay.js')

const out = join(root, 'fixtures', 'csv', 'synthetic')
mkdirSync(out, { recursive: true })
const write = (name, bytes) => writeFileSync(join(out, name), bytes)
const json = (name, value) => write(name, `${JSON.stringify(value)}\n`)

const pki = syntheticPki(0x11)
const other = syntheticPki(0x51)
const serial = Buffer.alloc(64)
serial.write('SYN0000000001', 'latin1')
const digest = (label, size) => createHash('sha512').update(label).digest().subarray(0, size)
const reportData = digest('carapace csv synthetic report data', 48)
const fields = {
  reportData: Buffer.concat([reportData, Buffer.alloc(16)]),
  mnonce: digest('mnonce', 16),
  measure: digest('measure', 32),
  vmId: digest('vm id', 16),
  vmVersion: digest('vm version', 16),
  userPubkeyDigest: digest('user pubkey', 32),
  // nodbg, es, csv3; HSK version 1, CEK version 1, API 1.4
  policy: 0x04010000 | 0x1100 | 0x45,
}

const ccel = readFileSync(join(root, 'fixtures', 'eventlog', 'CCEL_data_csv'))
const entries = parseCcEventLog(ccel)
const rtmrs = [fields.measure, ...[1, 2, 3, 4].map((index) => replayRegister(entries, index, 'SM3'))]

const v2 = syntheticReportBytes(
  { ...fields, version: 2, build: 2291, rtmrVersion: 1, rtmrs },
  pki.pek,
  pki.pekCert,
  serial,
)
const v1 = syntheticReportBytes({ ...fields, version: 1, anonce: 0x5dc7d726 }, pki.pek, pki.pekCert, serial)
const hskCek = { hsk: pki.hskCert, cek: pki.cekCert }

write('hrk.cert', pki.hrkCert)
write('other-hrk.cert', other.hrkCert)
write('hsk_cek.cert', Buffer.concat([pki.hskCert, pki.cekCert]))
json(
  'evidence-v2.json',
  syntheticCsvEvidence({ version: 2, report: v2, pekCert: pki.pekCert, serial, ccEventLog: ccel }),
)
json('evidence-v2-hsk-cek.json', syntheticCsvEvidence({ version: 2, report: v2, pekCert: pki.pekCert, serial, hskCek }))
json('evidence-v1.json', syntheticCsvEvidence({ version: 1, report: v1, pekCert: pki.pekCert, serial }))
write('report-data.hex', `${reportData.toString('hex')}\n`)
console.log(`wrote ${out}`)
