import type { JsonValue } from '../jcs/json-value.ts'
import { parseTeePubKey, teePubKeyToWire, type WireTeePubKey } from './tee-pubkey.ts'
import { expectJson, expectObject, expectString } from './wire-fields.ts'

/** Init-data as carried in `/attest`; Trustee's CoCo AS backends accept only `format: "toml"`. */
export interface InitData {
  format: string
  body: string
}

export interface RuntimeData {
  /** The challenge nonce, verbatim. */
  nonce: string
  teePubKey: WireTeePubKey
}

export interface CompositeEvidence {
  primaryEvidence: JsonValue
  /** JSON text of `{"<tee>": evidence, …}` for device attesters, or `""` when there are none. */
  additionalEvidence: string
}

/** POST /kbs/v0/attest body. */
export interface Attestation {
  initData: InitData | null
  runtimeData: RuntimeData
  teeEvidence: CompositeEvidence
}

export interface AttestationWire {
  'init-data': InitData | null
  'runtime-data': { nonce: string; 'tee-pubkey': WireTeePubKey }
  'tee-evidence': { primary_evidence: JsonValue; additional_evidence: string }
}

export function parseAttestation(input: unknown): Attestation {
  const body = expectObject(input, 'Attestation')
  const rawInitData = body['init-data']
  let initData: InitData | null = null
  if (rawInitData !== undefined && rawInitData !== null) {
    const object = expectObject(rawInitData, 'Attestation.init-data')
    initData = {
      format: expectString(object['format'], 'Attestation.init-data.format'),
      body: expectString(object['body'], 'Attestation.init-data.body'),
    }
  }
  const runtime = expectObject(body['runtime-data'], 'Attestation.runtime-data')
  const evidence = expectObject(body['tee-evidence'], 'Attestation.tee-evidence')
  return {
    initData,
    runtimeData: {
      nonce: expectString(runtime['nonce'], 'Attestation.runtime-data.nonce'),
      teePubKey: parseTeePubKey(runtime['tee-pubkey'], 'Attestation.runtime-data.tee-pubkey'),
    },
    teeEvidence: {
      primaryEvidence: expectJson(evidence['primary_evidence'], 'Attestation.tee-evidence.primary_evidence'),
      additionalEvidence: expectString(evidence['additional_evidence'], 'Attestation.tee-evidence.additional_evidence'),
    },
  }
}

/** Upstream member order; an absent init-data is written as `null` (serde `Option`). */
export function attestationToWire(attestation: Attestation): AttestationWire {
  const { initData, runtimeData, teeEvidence } = attestation
  return {
    'init-data': initData === null ? null : { format: initData.format, body: initData.body },
    'runtime-data': { nonce: runtimeData.nonce, 'tee-pubkey': teePubKeyToWire(runtimeData.teePubKey) },
    'tee-evidence': {
      primary_evidence: teeEvidence.primaryEvidence,
      additional_evidence: teeEvidence.additionalEvidence,
    },
  }
}
