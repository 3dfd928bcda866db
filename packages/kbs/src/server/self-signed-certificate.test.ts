import assert from 'node:assert/strict'
import { generateKeyPairSync, X509Certificate } from 'node:crypto'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { connect, createServer } from 'node:tls'
import { describe, it } from 'node:test'
import { ipAddressBytes } from './ip-address-bytes.ts'
import { createSelfSignedCertificate } from './self-signed-certificate.ts'

const NOW = new Date('2026-12-01T00:00:00Z')
const LATER = new Date('2029-03-05T00:00:00Z')

function tlsCert() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const cert = createSelfSignedCertificate({
    privateKey,
    commonName: 'carapace-kbs',
    organization: 'Carapace',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1', '::1'],
    notBefore: NOW,
    notAfter: LATER,
    serverAuth: true,
  })
  return { privateKey, publicKey, cert }
}

describe('createSelfSignedCertificate', () => {
  it('encodes a certificate node:crypto parses: subject, SAN, validity, self-signature', () => {
    const { privateKey, publicKey, cert } = tlsCert()
    const x509 = new X509Certificate(cert.pem)
    assert.equal(x509.subject, 'O=Carapace\nCN=carapace-kbs')
    assert.equal(x509.issuer, x509.subject)
    assert.equal(x509.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1')
    assert.equal(new Date(x509.validFrom).getTime(), NOW.getTime())
    assert.equal(new Date(x509.validTo).getTime(), LATER.getTime())
    assert.equal(x509.ca, false)
    assert.deepEqual(x509.keyUsage, ['1.3.6.1.5.5.7.3.1'])
    assert.ok(x509.verify(publicKey))
    assert.ok(x509.checkHost('localhost'))
    assert.ok(x509.checkIP('127.0.0.1'))
    assert.ok(x509.publicKey.equals(publicKey))
    assert.ok(x509.checkPrivateKey(privateKey))
    assert.equal(x509.checkPrivateKey(tlsCert().privateKey), false)
    assert.deepEqual(new X509Certificate(cert.der).raw, cert.der)
  })

  it('encodes dates from 2050 as GeneralizedTime and marks CA certificates', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const notAfter = new Date('2051-06-01T12:30:45Z')
    const cert = createSelfSignedCertificate({ privateKey, commonName: 'ca', notBefore: NOW, notAfter, isCa: true })
    const x509 = new X509Certificate(cert.der)
    assert.equal(new Date(x509.validTo).getTime(), notAfter.getTime())
    assert.equal(x509.ca, true)
    assert.equal(x509.subjectAltName, undefined)
  })

  it('refuses other keys, bad names and an empty validity', () => {
    const ed = generateKeyPairSync('ed25519').privateKey
    assert.throws(
      () => createSelfSignedCertificate({ privateKey: ed, commonName: 'x', notBefore: NOW, notAfter: LATER }),
      {
        code: 'INVALID_ARGUMENT',
      },
    )
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const base = { privateKey, commonName: 'x', notBefore: NOW, notAfter: LATER }
    assert.throws(() => createSelfSignedCertificate({ ...base, dnsNames: ['bad name'] }), /not a DNS name/)
    assert.throws(() => createSelfSignedCertificate({ ...base, ipAddresses: ['300.1.1.1'] }), /not an IP address/)
    assert.throws(() => createSelfSignedCertificate({ ...base, notAfter: NOW }), /notBefore/)
  })

  it('serves TLS that a client trusting only this certificate accepts (and one trusting nothing rejects)', async () => {
    const { privateKey, cert } = tlsCert()
    const server = createServer({ key: privateKey.export({ type: 'pkcs8', format: 'pem' }), cert: cert.pem }, (s) => {
      s.end('hello')
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const { port } = server.address() as AddressInfo
    try {
      const received = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port, ca: cert.pem, servername: 'localhost' }, () => {
          let text = ''
          socket.on('data', (d: Buffer) => (text += d.toString()))
          socket.on('end', () => {
            resolve(text)
          })
        })
        socket.on('error', reject)
      })
      assert.equal(received, 'hello')
      await assert.rejects(
        new Promise((resolve, reject) => {
          const socket = connect({ host: '127.0.0.1', port, servername: 'localhost' }, () => {
            resolve(socket)
          })
          socket.on('error', reject)
        }),
        { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
      )
    } finally {
      server.close()
    }
  })
})

describe('ipAddressBytes', () => {
  it('encodes IPv4, IPv6 and embedded IPv4; rejects names', () => {
    assert.deepEqual([...(ipAddressBytes('10.0.0.1') ?? [])], [10, 0, 0, 1])
    assert.deepEqual([...(ipAddressBytes('::1') ?? [])], [...Array<number>(15).fill(0), 1])
    assert.deepEqual(
      Buffer.from(ipAddressBytes('2001:db8::8a2e:370:7334') ?? []).toString('hex'),
      '20010db80000000000008a2e03707334',
    )
    assert.deepEqual(
      Buffer.from(ipAddressBytes('::ffff:1.2.3.4') ?? []).toString('hex'),
      '00000000000000000000ffff01020304',
    )
    assert.equal(ipAddressBytes('localhost'), undefined)
  })
})
