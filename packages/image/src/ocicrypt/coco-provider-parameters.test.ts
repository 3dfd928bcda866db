import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseCocoProviderParameters } from './coco-provider-parameters.ts'
import { parseKeyProviderRequest } from './key-provider-protocol.ts'
import { wireRecords } from './test-vectors.ts'

test('the attestation-agent parameters skopeo forwarded in the gRPC recording', () => {
  const [first] = wireRecords('keyprovider-grpc-coco.jsonl')
  const request = parseKeyProviderRequest(String(first?.['input']))
  const [param] = request.parameters['attestation-agent'] ?? []
  assert.ok(param)
  assert.deepEqual(parseCocoProviderParameters(param.toString()), {
    keypath: '/tmp/vecout/keys/coco-kek.bin',
    keyid: 'kbs:///default/image-kek/coco-test',
    algorithm: 'A256GCM',
    sample: false,
  })
  assert.deepEqual(parseCocoProviderParameters('Enabled'), { algorithm: 'A256GCM', sample: false })
  assert.deepEqual(parseCocoProviderParameters('sample=true'), { algorithm: 'A256GCM', sample: true })
  assert.throws(() => parseCocoProviderParameters('keyid'), { code: 'INVALID_OPTION' })
  assert.throws(() => parseCocoProviderParameters('colour=blue'), { code: 'INVALID_OPTION' })
  assert.throws(() => parseCocoProviderParameters('algorithm=A128KW'), { code: 'UNSUPPORTED_CIPHER' })
})
