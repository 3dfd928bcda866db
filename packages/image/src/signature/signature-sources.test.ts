import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, test } from 'node:test'
import { LayoutSource } from '../layout/layout-source.ts'
import { parseDockerReference } from '../reference/docker-reference.ts'
import { parseImageReference } from '../reference/image-reference.ts'
import { createLookasideReader, lookasideSignatureUrl, readLookasideSignatures } from './lookaside.ts'
import { evaluatePolicy } from './policy-evaluate.ts'
import { parsePolicy } from './policy-parse.ts'
import { lookasideFor, parseRegistriesD, useSigstoreAttachments } from './registries-d.ts'
import { SignatureError } from './signature-error.ts'
import { evaluateVector, fixture, fixtureBytes, FIXTURES, NOW, PLAIN_DIGEST } from './test-support.ts'

const REF = parseDockerReference('127.0.0.1:5000/coco/signed-gpg:v1')

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; base: string }> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sigs` }
}

describe('lookaside', () => {
  test('URL layout: <base>/<repo path>@<algo>=<hex>/signature-<n>', () => {
    assert.equal(
      lookasideSignatureUrl('file:///var/lib/containers/sigstore/', REF, PLAIN_DIGEST, 1).href,
      `file:///var/lib/containers/sigstore/coco/signed-gpg@sha256=${PLAIN_DIGEST.slice(7)}/signature-1`,
    )
    assert.equal(
      lookasideSignatureUrl('https://sigs.example/base', parseDockerReference('busybox:1'), PLAIN_DIGEST, 3).href,
      `https://sigs.example/base/library/busybox@sha256=${PLAIN_DIGEST.slice(7)}/signature-3`,
    )
  })

  test('file: reads signature-1.. until missing', async () => {
    const sigs = await readLookasideSignatures(`file://${FIXTURES}lookaside`, REF, PLAIN_DIGEST)
    assert.equal(sigs.length, 1)
    assert.deepEqual(sigs[0], fixtureBytes(`lookaside/coco/signed-gpg@sha256=${PLAIN_DIGEST.slice(7)}/signature-1`))
    assert.deepEqual(
      await readLookasideSignatures(
        `file://${FIXTURES}lookaside`,
        parseDockerReference('127.0.0.1:5000/coco/none:v1'),
        PLAIN_DIGEST,
      ),
      [],
    )
  })

  test('http: 404 ends the list, other statuses fail, more than 128 fail', async () => {
    const blob = fixtureBytes(`lookaside/coco/signed-gpg-rsa@sha256=${PLAIN_DIGEST.slice(7)}/signature-1`)
    const seen: string[] = []
    const { server, base } = await listen((req, res) => {
      seen.push(req.url ?? '')
      const n = Number(/signature-(\d+)$/.exec(req.url ?? '')?.[1])
      if (req.url?.includes('/broken@')) res.writeHead(500).end('no')
      else if (req.url?.includes('/endless@')) res.writeHead(200).end(blob)
      else if (req.url?.includes('/huge@')) {
        // chunked, no content-length: refused while streaming
        res.writeHead(200)
        const chunk = Buffer.alloc(1 << 20)
        for (let i = 0; i < 5; i++) res.write(chunk)
        res.end()
      } else if (n <= 2) res.writeHead(200).end(blob)
      else res.writeHead(404).end()
    })
    try {
      const sigs = await readLookasideSignatures(base, REF, PLAIN_DIGEST)
      assert.equal(sigs.length, 2)
      assert.equal(seen[0], `/sigs/coco/signed-gpg@sha256=${PLAIN_DIGEST.slice(7)}/signature-1`)
      await assert.rejects(readLookasideSignatures(base, parseDockerReference('h.example/broken:1'), PLAIN_DIGEST), {
        code: 'SIGNATURE_SOURCE',
        message: /status 500/,
      })
      await assert.rejects(readLookasideSignatures(base, parseDockerReference('h.example/endless:1'), PLAIN_DIGEST), {
        code: 'SIGNATURE_SOURCE',
        message: /server provided 128 signatures/,
      })
      await assert.rejects(readLookasideSignatures(base, parseDockerReference('h.example/huge:1'), PLAIN_DIGEST), {
        code: 'SIGNATURE_SOURCE',
        message: /larger than 4194304 bytes/,
      })
      // the whole policy path over HTTP: signedBy accepts the RSA signature served for signed-gpg-rsa
      const registries = parseRegistriesD([
        { name: 'http.yaml', text: `docker:\n  127.0.0.1:5000/coco:\n    lookaside: ${base}\n` },
      ])
      const d = await evaluateVector('signed-gpg-rsa:v1', parsePolicy(fixtureBytes('policy/policy.json')), {
        registries,
      })
      assert.equal(d.accepted[0]?.signerFingerprint, 'F834AB2B46DEDA5FBB4FDE57148A35D04F0B2528')
    } finally {
      server.close()
    }
  })

  test('unsupported schemes are refused', async () => {
    await assert.rejects(createLookasideReader()(new URL('ftp://x/y')), {
      code: 'SIGNATURE_SOURCE',
      message: /Unsupported scheme/,
    })
  })
})

describe('registries.d', () => {
  const config = parseRegistriesD([
    {
      name: 'a.yaml',
      text: [
        'default-docker:',
        '  lookaside: file:///default',
        'docker:',
        '  registry.example.com:',
        '    lookaside: https://sigs.example/host',
        '    use-sigstore-attachments: true',
        '  registry.example.com/team:',
        '    use-sigstore-attachments: false',
        '  registry.example.com/team/app:',
        '    lookaside-staging: file:///staging',
        '  "*.example.org":',
        '    sigstore: https://legacy.example/sigs',
      ].join('\n'),
    },
  ])

  test('each key resolves separately, most specific section that sets it first', () => {
    const app = parseDockerReference('registry.example.com/team/app:v1')
    assert.equal(lookasideFor(config, app), 'https://sigs.example/host')
    assert.equal(lookasideFor(config, app, true), 'file:///staging')
    assert.equal(useSigstoreAttachments(config, app), false)
    assert.equal(useSigstoreAttachments(config, parseDockerReference('registry.example.com/other:v1')), true)
    assert.equal(lookasideFor(config, parseDockerReference('a.b.example.org/x:1')), 'https://legacy.example/sigs')
    assert.equal(lookasideFor(config, parseDockerReference('quay.io/x:1')), 'file:///default')
    assert.equal(useSigstoreAttachments(config, parseDockerReference('quay.io/x:1')), false)
  })

  test('invalid files: duplicates across files, unknown keys, bad URLs, bad types', () => {
    const bad = (files: Array<{ name: string; text: string }>, message: RegExp): void => {
      assert.throws(
        () => parseRegistriesD(files),
        (e: unknown) =>
          e instanceof SignatureError && e.code === 'INVALID_REGISTRIES_CONFIG' && message.test(e.message),
      )
    }
    bad(
      [
        { name: 'a', text: 'default-docker: {}\n' },
        { name: 'b', text: 'default-docker: {}\n' },
      ],
      /default-docker defined both in a and b/,
    )
    bad(
      [
        { name: 'a', text: 'docker: {x.io: {}}\n' },
        { name: 'b', text: 'docker: {x.io: {}}\n' },
      ],
      /"x.io" defined both in a and b/,
    )
    bad([{ name: 'a', text: 'docker: {x.io: {lookasid: file:///x}}\n' }], /unknown key "lookasid"/)
    bad([{ name: 'a', text: 'docker: {x.io: {lookaside: "not a url"}}\n' }], /is not a URL/)
    bad([{ name: 'a', text: 'docker: {x.io: {lookaside: "ftp://x"}}\n' }], /unsupported scheme/)
    bad([{ name: 'a', text: 'docker: {x.io: {use-sigstore-attachments: "yes"}}\n' }], /true or false/)
    bad([{ name: 'a', text: 'docker: {x.io: {}, x.io: {}}\n' }], /Map keys must be unique|unique/)
    bad([{ name: 'a', text: 'other: 1\n' }], /unknown key "other"/)
  })
})

describe('keys from the KBS and unsupported features', () => {
  const digestRef = parseImageReference('docker://127.0.0.1:5000/coco/signed-sigstore:v1')
  const withKey = (req: string): string =>
    `{"default":[{"type":"reject"}],"transports":{"docker":{"127.0.0.1:5000/coco":[${req}]}}}`

  async function run(policy: string, fetchResource?: (uri: string) => Promise<Uint8Array>) {
    const source = new LayoutSource(fixture('layouts/signed-sigstore'), 'v1')
    const registries = parseRegistriesD([
      { name: 'r.yaml', text: 'docker:\n  127.0.0.1:5000:\n    use-sigstore-attachments: true\n' },
    ])
    return evaluatePolicy(
      {
        policy: parsePolicy(policy),
        registries,
        now: () => NOW,
        ...(fetchResource === undefined ? {} : { fetchResource }),
      },
      { reference: digestRef, source, manifest: await source.getManifest() },
    )
  }

  test('sigstoreSigned keyPath kbs:///… is fetched through the injected CDH resource fetcher', async () => {
    const asked: string[] = []
    const fetchResource = (uri: string): Promise<Uint8Array> => {
      asked.push(uri)
      return Promise.resolve(fixtureBytes('keys/sigstore.pub'))
    }
    const d = await run(withKey('{"type":"sigstoreSigned","keyPath":"kbs:///default/cosign-key/1"}'), fetchResource)
    assert.deepEqual(asked, ['kbs:///default/cosign-key/1'])
    assert.equal(d.accepted.length, 1)
    await assert.rejects(run(withKey('{"type":"sigstoreSigned","keyPath":"kbs:///default/cosign-key/1"}')), {
      code: 'INVALID_KEY',
      message: /needs a KBS resource fetcher/,
    })
    await assert.rejects(run(withKey('{"type":"sigstoreSigned","keyPath":"kbs:///only/two"}'), fetchResource), {
      code: 'INVALID_KEY',
      message: /malformed KBS key URI/,
    })
    const failing = async (): Promise<Uint8Array> => Promise.reject(new Error('attestation failed'))
    await assert.rejects(run(withKey('{"type":"sigstoreSigned","keyPath":"kbs:///default/cosign-key/1"}'), failing), {
      code: 'INVALID_KEY',
      message: /attestation failed/,
    })
  })

  test('keyPaths: any key may verify; a non-key file is INVALID_KEY', async () => {
    const d = await run(
      withKey(
        `{"type":"sigstoreSigned","keyPaths":["${fixture('keys/other.pub')}","${fixture('keys/sigstore.pub')}"]}`,
      ),
    )
    assert.equal(d.accepted.length, 1)
    await assert.rejects(run(withKey(`{"type":"sigstoreSigned","keyPath":"${fixture('README.md')}"}`)), {
      code: 'INVALID_KEY',
    })
    await assert.rejects(run(withKey('{"type":"sigstoreSigned","keyPath":"/nonexistent/key.pub"}')), {
      code: 'INVALID_KEY',
    })
  })

  test('fulcio, pki, rekor and X.509 keyTypes are refused as UNSUPPORTED', async () => {
    const pem = fixtureBytes('keys/sigstore.pub').toString('base64')
    await assert.rejects(
      run(
        withKey(
          `{"type":"sigstoreSigned","fulcio":{"caData":"${pem}","oidcIssuer":"https://i","subjectEmail":"a@b"},"rekorPublicKeyData":"${pem}"}`,
        ),
      ),
      { code: 'UNSUPPORTED', message: /fulcio/ },
    )
    await assert.rejects(
      run(withKey(`{"type":"sigstoreSigned","pki":{"caRootsData":"${pem}","subjectEmail":"a@b"}}`)),
      { code: 'UNSUPPORTED', message: /pki/ },
    )
    await assert.rejects(run(withKey(`{"type":"sigstoreSigned","keyData":"${pem}","rekorPublicKeyData":"${pem}"}`)), {
      code: 'UNSUPPORTED',
      message: /rekor/,
    })
    await assert.rejects(run(withKey('{"type":"signedBy","keyType":"X509Certificates","keyPath":"/x"}')), {
      code: 'UNSUPPORTED',
      message: 'Unimplemented "keyType" value "X509Certificates"',
    })
  })

  test('signedBaseLayer refuses every image at evaluation, as containers/image does', async () => {
    await assert.rejects(run(withKey('{"type":"signedBaseLayer","baseLayerIdentity":{"type":"matchRepository"}}')), {
      code: 'UNSUPPORTED',
      message: 'signedBaseLayer not implemented yet!',
    })
  })

  test('all requirements of the scope must pass', async () => {
    const pem = fixtureBytes('keys/sigstore.pub').toString('base64')
    const both = `{"type":"insecureAcceptAnything"},{"type":"sigstoreSigned","keyData":"${pem}"}`
    assert.equal((await run(withKey(both))).accepted.length, 1)
    await assert.rejects(run(withKey(`${both},{"type":"reject"}`)), { code: 'REJECTED' })
  })
})
