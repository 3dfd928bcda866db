#!/usr/bin/env node
// Builds the synthetic Hygon DCU fixtures (packages/verifier/fixtures/hygondcu/): an SM2 PKI of our
// own (HRK → HSK, a second HRK), two DCU chips with CEKs under that HSK, and evidence with one
// report per DCU signed by its CEK. The HSK/CEK pairs are laid out as a `--collateral` folder
// (hsk_cek/<chip>/hsk_cek.cert). Keys are fresh on every run (SM2 signing is randomized), so the
// outputs are committed and this is rerun only to change them. Run after `npx tsc -b`:
// node scripts/build-hygondcu-fixtures.mjs
import { Buffer } from 'node:buffer'
import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('../packages/verifier/', import.meta.url).pathname
const { syntheticDcu, syntheticDcuReport, syntheticPki } = await import(
  join(root, 'dist', 'hygondcu', 'dcu-synthetic.js')
)

const out = join(root, 'fixtures', 'hygondcu')
const digest = (label, size) => createHash('sha512').update(label).digest().subarray(0, size)
const pki = syntheticPki(0x21)
const other = syntheticPki(0x61)
const reportData = digest('carapace hygondcu synthetic report data', 64)
const chips = ['DCU00000000000A1', 'DCU00000000000A2'].map((chipId) => syntheticDcu(pki, chipId))
const reports = chips.map((dcu, n) =>
  syntheticDcuReport(dcu, { version: 1, userData: reportData, measure: digest(`dcu measure ${String(n)}`, 32) }),
)

mkdirSync(out, { recursive: true })
writeFileSync(join(out, 'hrk.cert'), pki.hrkCert)
writeFileSync(join(out, 'other-hrk.cert'), other.hrkCert)
for (const dcu of chips) {
  mkdirSync(join(out, 'collateral', 'hsk_cek', dcu.chipId), { recursive: true })
  writeFileSync(
    join(out, 'collateral', 'hsk_cek', dcu.chipId, 'hsk_cek.cert'),
    Buffer.concat([pki.hskCert, dcu.cekCert]),
  )
}
writeFileSync(join(out, 'evidence.json'), `${JSON.stringify({ attestation_reports: reports })}\n`)
writeFileSync(join(out, 'report-data.hex'), `${reportData.toString('hex')}\n`)
console.log(`wrote ${out}`)
