import { cocoKeyUnwrapper } from '../ocicrypt/coco-key-wrapper.ts'
import { parseKbsKeyId } from '../ocicrypt/kbs-key-id.ts'
import type { KeyUnwrapper } from '../ocicrypt/key-wrapper.ts'
import type { FetchResource } from '../signature/key-source.ts'
import { PipelineError } from './pipeline-error.ts'

/** KEKs and policy keys are small; a bigger answer is refused. */
const RESOURCE_SIZE_LIMIT = 1024 * 1024

export interface CdhResourceOptions {
  /** Default: the global fetch. */
  readonly fetch?: (url: string) => Promise<Response>
}

/**
 * Resolves `kbs:///repo/type/tag` (and the other kid forms of parseKbsKeyId) through the
 * Confidential Data Hub's `GET <cdh>/cdh/resource/<repo>/<type>/<tag>`: the CDH attests to its KBS
 * and returns the resource. A host in the URI is not used: the guest only trusts its own KBS.
 */
export function cdhResourceFetcher(cdhUrl: string, options: CdhResourceOptions = {}): FetchResource {
  let base: URL
  try {
    base = new URL(cdhUrl)
  } catch (cause) {
    throw new PipelineError('INVALID_ARGUMENT', `CDH URL ${JSON.stringify(cdhUrl)} is not a URL`, { cause })
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new PipelineError('INVALID_ARGUMENT', `CDH URL ${cdhUrl} must be http(s)`)
  }
  const fetchImpl = options.fetch ?? ((url: string) => fetch(url))
  return async (uri) => {
    const { resource } = parseKbsKeyId(uri)
    const path = `${resource.repository}/${resource.type}/${resource.tag}`
    const url = `${base.origin}${base.pathname.replace(/\/$/, '')}/cdh/resource/${path}`
    let response: Response
    try {
      response = await fetchImpl(url)
    } catch (cause) {
      throw new PipelineError('KEY_UNAVAILABLE', `CDH ${base.origin} unreachable for ${path}`, { cause })
    }
    const declared = Number(response.headers.get('content-length') ?? '0')
    if (declared > RESOURCE_SIZE_LIMIT) {
      await response.body?.cancel()
      throw new PipelineError('KEY_UNAVAILABLE', `CDH resource ${path} is larger than ${RESOURCE_SIZE_LIMIT} bytes`)
    }
    const body = Buffer.from(await response.arrayBuffer())
    if (response.status !== 200) {
      const detail = body.subarray(0, 300).toString('utf8').trim()
      throw new PipelineError(
        'KEY_UNAVAILABLE',
        `CDH refused resource ${path}: HTTP ${response.status}${detail === '' ? '' : ` ${detail}`}`,
      )
    }
    if (body.length > RESOURCE_SIZE_LIMIT) {
      throw new PipelineError('KEY_UNAVAILABLE', `CDH resource ${path} is larger than ${RESOURCE_SIZE_LIMIT} bytes`)
    }
    return body
  }
}

/** Opens `provider.attestation-agent` layer keys with KEKs fetched through the CDH (after attestation). */
export function cdhKeyUnwrapper(fetchResource: FetchResource): KeyUnwrapper {
  return cocoKeyUnwrapper({ getKek: (kid) => fetchResource(kid) })
}
