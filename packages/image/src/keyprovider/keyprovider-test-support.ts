// Test-only: the recorded skopeo-up ↔ key-provider exchanges (fixtures/ocicrypt/wire, see its README).
import assert from 'node:assert/strict'
import { fixtureBytes, wireRecords } from '../ocicrypt/test-vectors.ts'

export interface Exchange {
  method: 'WrapKey' | 'UnWrapKey'
  request: string
  response: string
}

/** gRPC recordings as (request, response) pairs, in call order. */
export function grpcExchanges(file: string): Exchange[] {
  const records = wireRecords(file)
  const out: Exchange[] = []
  for (let i = 0; i + 1 < records.length; i += 2) {
    const call = records[i] ?? {}
    const answer = records[i + 1] ?? {}
    assert.equal(call['method'], answer['method'])
    assert.ok(call['method'] === 'WrapKey' || call['method'] === 'UnWrapKey')
    assert.equal(typeof call['input'], 'string')
    assert.equal(typeof answer['output'], 'string')
    out.push({ method: call['method'], request: call['input'] as string, response: answer['output'] as string })
  }
  return out
}

/** The KEK skopeo-up's provider used; the recordings name it by the recording machine's path. */
export const COCO_KEK = fixtureBytes('keys/coco-kek.bin')
export const RECORDED_KEK_PATH = '/tmp/vecout/keys/coco-kek.bin'
export const COCO_KID = 'kbs:///default/image-kek/coco-test'

export function readRecordedKek(path: string): Promise<Uint8Array> {
  return path === RECORDED_KEK_PATH ? Promise.resolve(COCO_KEK) : Promise.reject(new Error(`ENOENT ${path}`))
}

/** The AnnotationPacket inside a wrap response (`{"keywrapresults":{"annotation":<b64>}}`). */
export function packetOf(response: string): { kid: string; iv: Buffer; wrapped_data: string; wrap_type: string } {
  const o = JSON.parse(response) as { keywrapresults: { annotation: string | number[] } }
  const a = o.keywrapresults.annotation
  const bytes = typeof a === 'string' ? Buffer.from(a, 'base64') : Buffer.from(a)
  const p = JSON.parse(bytes.toString('utf8')) as { kid: string; iv: string; wrapped_data: string; wrap_type: string }
  return { ...p, iv: Buffer.from(p.iv, 'base64') }
}

/** A randomBytes that hands out the given buffers in order, then fails. */
export function scriptedRandom(...chunks: Uint8Array[]): (size: number) => Uint8Array {
  const queue = [...chunks]
  return (size) => {
    const next = queue.shift()
    assert.ok(next !== undefined, 'more randomness asked than scripted')
    assert.equal(next.length, size)
    return next
  }
}
