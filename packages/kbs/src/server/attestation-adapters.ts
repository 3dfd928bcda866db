import type { AttestationService, VerificationRequest } from '@carapace/attestation-service'
import { AttestationServiceError, isSampleTee } from '@carapace/attestation-service'
import type { JsonValue } from '@carapace/protocol'
import type { Rvps } from '@carapace/rvps'
import type { AttestationAdmin } from '../admin/attestation-admin.ts'
import type { KbsLogger } from '../http/kbs-logger.ts'
import type { AttestationEvaluator, EvidenceToEvaluate } from '../session/attestation-evaluator.ts'

function verificationRequest(request: EvidenceToEvaluate): VerificationRequest {
  const initData = request.initData
  if (initData !== null && initData.format !== 'toml') {
    throw new AttestationServiceError(
      'INVALID_REQUEST',
      `init_data format ${JSON.stringify(initData.format)} is not supported (only "toml")`,
    )
  }
  return {
    tee: request.tee,
    evidence: request.evidence,
    runtimeData: { structured: request.runtimeData as JsonValue },
    hashAlgorithm: request.runtimeDataHash,
    ...(initData === null ? {} : { initData: { format: 'toml', body: initData.body } }),
  }
}

/** The built-in attestation service as the KBS sees it: one token (and why) per attestation. */
export function attestationEvaluatorOf(
  service: AttestationService,
  options: { readonly insecureAllowSampleTee: boolean; readonly logger: KbsLogger },
): AttestationEvaluator {
  return {
    async evaluate(request) {
      if (options.insecureAllowSampleTee && request.requests.some((r) => isSampleTee(r.tee))) {
        options.logger.log('warn', 'INSECURE: appraising sample TEE evidence (no real TEE) by the policy alone', {
          flag: '--insecure-allow-sample-tee',
          ...(request.requestId === undefined ? {} : { requestId: request.requestId }),
        })
      }
      const { token, explanation } = await service.evaluate(
        request.requests.map(verificationRequest),
        request.policyIds,
      )
      return { token, explanation }
    },
  }
}

/** Admin calls the KBS forwards: attestation policies to the AS, reference values to the RVPS. */
export function attestationAdminOf(service: AttestationService, rvps: Rvps): AttestationAdmin {
  return {
    setPolicy: (policyId, text) => service.setPolicy(policyId, text),
    registerReferenceValue: async (message) => {
      await rvps.register(message)
    },
    queryReferenceValue: async (id) => {
      const value = await rvps.query(id)
      return value ?? undefined
    },
    listReferenceValues: async () => {
      const listed: Record<string, unknown> = {}
      for (const entry of await rvps.list()) if (!entry.expired) listed[entry.name] = entry.value
      return listed
    },
  }
}
