import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createTpm2Runner, createTpmAttester, extendPcr, type TpmEvidence } from '@carapace/attester'
import { startSwtpm, type RunningSwtpm } from '@carapace/attester/swtpm'
import { createNodeFetch } from '@carapace/kbs-client'
import { runCarapace, startCarapace, stopCarapace, type Daemon } from './support/carapace-process.ts'
import { makeTempDataDir, type TempDataDir } from './support/temp-data-dir.ts'

const INIT_DATA = `version = "0.1.0"\nalgorithm = "sha256"\n\n[data]\nworkload = "tpm-process"\n`

describe('carapace kbs serve and carapace cdh serve --attester tpm as separate processes, on a software TPM', () => {
  let dir: TempDataDir
  let swtpm: RunningSwtpm
  let kbs: Daemon
  const cdhs: Daemon[] = []
  let certFile: string
  const secret = 'released to a TPM guest'

  before(async () => {
    swtpm = await startSwtpm()
    dir = await makeTempDataDir('carapace-e2e-tpm-processes-')
    const dataDir = join(dir.path, 'kbs')
    kbs = await startCarapace(
      ['kbs', 'serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0'],
      /URL:\s+(https:\/\/\S+)/,
    )
    certFile = join(dataDir, 'tls', 'server-cert.pem')
  })
  after(async () => {
    for (const cdh of cdhs) await stopCarapace(cdh)
    await stopCarapace(kbs)
    await dir.remove()
    await swtpm.stop()
  })

  const startCdh = async (tcti = swtpm.tcti): Promise<Daemon> => {
    const initData = join(dir.path, 'initdata.toml')
    await writeFile(initData, INIT_DATA)
    const cdh = await startCarapace(
      [
        ...['cdh', 'serve', '--kbs-url', kbs.found, '--cert-file', certFile, '--listen', '127.0.0.1:0'],
        ...['--attester', 'tpm', '--tpm-tcti', tcti, '--init-data', initData],
      ],
      /listening on (http:\/\/\S+)/,
    )
    cdhs.push(cdh)
    return cdh
  }

  it('the operator registers the AK and PCR11 with the CLI, and the TPM guest reads the secret', async () => {
    // What the operator measured on a trusted boot of this guest (PCR8 is not involved yet).
    const measured = (await createTpmAttester({ tcti: swtpm.tcti }).evidence(
      new Uint8Array(32),
    )) as unknown as TpmEvidence
    const tokenFile = join(dir.path, 'admin.jwt')
    const minted = await runCarapace([
      'admin',
      'token',
      '--key',
      join(dir.path, 'kbs', 'admin', 'admin-key.pem'),
      '--out',
      tokenFile,
    ])
    assert.equal(minted.code, 0, minted.err)
    const secretFile = join(dir.path, 'secret.txt')
    await writeFile(secretFile, secret)
    const config = async (...args: string[]): Promise<void> => {
      const result = await runCarapace([
        ...['client', '--url', kbs.found, '--cert-file', certFile],
        ...['config', '--admin-token-file', tokenFile, ...args],
      ])
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.err}`)
    }
    await config('set-resource', '--path', 'default/key/tpm', '--resource-file', secretFile)
    await config('set-resource-policy', '--affirming')
    await config('set-sample-reference-value', 'trusted_aks', measured.ak_public)
    await config('set-sample-reference-value', 'tpm_pcr11', measured.tpm_quote.pcrs[11] ?? '')

    const cdh = await startCdh()
    const response = await createNodeFetch()(`${cdh.found}/cdh/resource/default/key/tpm`)
    assert.equal(response.status, 200)
    assert.equal(await response.text(), secret)
    assert.doesNotMatch(cdh.output().err, /sample attester/)
  })

  it('a CDH on a TPM whose PCR11 changed is refused the secret', async () => {
    await extendPcr(createTpm2Runner({ tcti: swtpm.tcti }), 11, new Uint8Array(32).fill(7))
    const cdh = await startCdh()
    const response = await createNodeFetch()(`${cdh.found}/cdh/resource/default/key/tpm`)
    assert.equal(response.status, 500)
    assert.match(await response.text(), /default\/key\/tpm/)
    assert.match(kbs.output().err, /"status":401/)
  })

  it('a CDH on a TPM whose attestation key the operator did not register is refused the secret', async () => {
    const stranger = await startSwtpm()
    try {
      const logBefore = kbs.output().err.length
      const denialsBefore = kbs.output().err.split('"status":401').length
      const cdh = await startCdh(stranger.tcti)
      const response = await createNodeFetch()(`${cdh.found}/cdh/resource/default/key/tpm`)
      assert.equal(response.status, 500)
      assert.match(await response.text(), /default\/key\/tpm/)
      // Denied for the AK alone: executables 33 (unknown AK) from the trusted_aks rule.
      assert.match(kbs.output().err.slice(logBefore), /executables=33 .*trusted_aks/)
      assert.ok(kbs.output().err.split('"status":401').length > denialsBefore, 'the KBS logs a new 401')
      await stopCarapace(cdh)
      cdhs.splice(cdhs.indexOf(cdh), 1)
    } finally {
      await stranger.stop()
    }
  })
})
