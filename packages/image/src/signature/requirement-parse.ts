import {
  decodeBase64Field,
  expectObject,
  expectOnlyKeys,
  invalidPolicy,
  optionalString,
  optionalStringArray,
} from './policy-json.ts'
import type {
  FulcioConfig,
  GpgKeyType,
  KeyReference,
  PkiConfig,
  PolicyRequirement,
  SignedBaseLayerRequirement,
  SignedByRequirement,
  SigstoreSignedRequirement,
} from './policy-types.ts'
import { parseSignedIdentity } from './signed-identity-parse.ts'

const GPG_KEY_TYPES: readonly GpgKeyType[] = ['GPGKeys', 'signedByGPGKeys', 'X509Certificates', 'signedByX509CAs']

/** Parses one requirement object of a policy requirement list. */
export function parseRequirement(v: unknown, where: string): PolicyRequirement {
  const obj = expectObject(v, where)
  const type = optionalString(obj, 'type', where)
  switch (type) {
    case 'insecureAcceptAnything':
    case 'reject':
      expectOnlyKeys(obj, ['type'], where)
      return { type }
    case 'signedBy':
      return parseSignedBy(obj, where)
    case 'sigstoreSigned':
      return parseSigstoreSigned(obj, where)
    case 'signedBaseLayer':
      return parseSignedBaseLayer(obj, where)
    case undefined:
      throw invalidPolicy(`${where}: missing "type"`)
    default:
      throw invalidPolicy(`${where}: Unknown policy requirement type ${JSON.stringify(type)}`)
  }
}

function parseSignedBaseLayer(obj: Record<string, unknown>, where: string): SignedBaseLayerRequirement {
  expectOnlyKeys(obj, ['type', 'baseLayerIdentity'], where)
  if (obj.baseLayerIdentity === undefined) throw invalidPolicy(`${where}: baseLayerIdentity not specified`)
  return { type: 'signedBaseLayer', baseLayerIdentity: parseSignedIdentity(obj.baseLayerIdentity, where) }
}

function parseSignedBy(obj: Record<string, unknown>, where: string): SignedByRequirement {
  expectOnlyKeys(obj, ['type', 'keyType', 'keyPath', 'keyPaths', 'keyData', 'signedIdentity'], where)
  const keyType = optionalString(obj, 'keyType', where)
  if (keyType === undefined) throw invalidPolicy(`${where}: keyType is missing`)
  if (!(GPG_KEY_TYPES as readonly string[]).includes(keyType)) {
    throw invalidPolicy(`${where}: Unknown key type ${JSON.stringify(keyType)}`)
  }
  const keys = parseKeySources(obj, where, { path: 'keyPath', paths: 'keyPaths', data: 'keyData' })
  if (keys === undefined)
    throw invalidPolicy(`${where}: exactly one of keyPath, keyPaths and keyData must be specified`)
  return {
    type: 'signedBy',
    keyType: keyType as GpgKeyType,
    keys,
    signedIdentity: parseSignedIdentity(obj.signedIdentity, where),
  }
}

const SIGSTORE_KEYS = [
  'type',
  'keyPath',
  'keyPaths',
  'keyData',
  'keyDatas',
  'fulcio',
  'pki',
  'rekorPublicKeyPath',
  'rekorPublicKeyPaths',
  'rekorPublicKeyData',
  'rekorPublicKeyDatas',
  'signedIdentity',
]

function parseSigstoreSigned(obj: Record<string, unknown>, where: string): SigstoreSignedRequirement {
  expectOnlyKeys(obj, SIGSTORE_KEYS, where)
  const keys = parseKeySources(obj, where, { path: 'keyPath', paths: 'keyPaths', data: 'keyData', datas: 'keyDatas' })
  const fulcio = obj.fulcio === undefined ? undefined : parseFulcio(obj.fulcio, `${where}.fulcio`)
  const pki = obj.pki === undefined ? undefined : parsePki(obj.pki, `${where}.pki`)
  const sources = [keys, fulcio, pki].filter((x) => x !== undefined).length
  if (sources !== 1) {
    throw invalidPolicy(
      `${where}: exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio and pki must be specified`,
    )
  }
  const rekorPublicKeys = parseKeySources(obj, where, {
    path: 'rekorPublicKeyPath',
    paths: 'rekorPublicKeyPaths',
    data: 'rekorPublicKeyData',
    datas: 'rekorPublicKeyDatas',
  })
  if (fulcio !== undefined && rekorPublicKeys === undefined) {
    throw invalidPolicy(`${where}: fulcio requires a rekor public key (rekorPublicKeyPath, …)`)
  }
  if (pki !== undefined && rekorPublicKeys !== undefined) {
    throw invalidPolicy(`${where}: rekor public keys cannot be used with pki`)
  }
  return {
    type: 'sigstoreSigned',
    ...(keys === undefined ? {} : { keys }),
    ...(fulcio === undefined ? {} : { fulcio }),
    ...(pki === undefined ? {} : { pki }),
    ...(rekorPublicKeys === undefined ? {} : { rekorPublicKeys }),
    signedIdentity: parseSignedIdentity(obj.signedIdentity, where),
  }
}

interface KeyFieldNames {
  readonly path: string
  readonly paths: string
  readonly data: string
  readonly datas?: string
}

/** At most one of the path/paths/data/datas fields; undefined when none is set. */
function parseKeySources(
  obj: Record<string, unknown>,
  where: string,
  names: KeyFieldNames,
): KeyReference[] | undefined {
  const found: KeyReference[][] = []
  const path = optionalString(obj, names.path, where)
  if (path !== undefined) {
    if (path === '') throw invalidPolicy(`${where}: ${names.path} must not be empty`)
    found.push([{ path }])
  }
  const paths = optionalStringArray(obj, names.paths, where)
  if (paths !== undefined) found.push(paths.map((p) => ({ path: p })))
  const data = optionalString(obj, names.data, where)
  if (data !== undefined) found.push([{ data: decodeBase64Field(data, `${where}.${names.data}`) }])
  if (names.datas !== undefined) {
    const datas = optionalStringArray(obj, names.datas, where)
    if (datas !== undefined)
      found.push(datas.map((d, i) => ({ data: decodeBase64Field(d, `${where}.${names.datas}[${i}]`) })))
  }
  if (found.length > 1) {
    const list = [names.path, names.paths, names.data, ...(names.datas === undefined ? [] : [names.datas])].join(', ')
    throw invalidPolicy(`${where}: only one of ${list} may be specified`)
  }
  return found[0]
}

/** Exactly one of `<base>Path` / `<base>Data`. */
function onePathOrData(
  obj: Record<string, unknown>,
  base: string,
  where: string,
  required: boolean,
): KeyReference | undefined {
  const path = optionalString(obj, `${base}Path`, where)
  const data = optionalString(obj, `${base}Data`, where)
  if (path !== undefined && data !== undefined)
    throw invalidPolicy(`${where}: ${base}Path and ${base}Data cannot be used together`)
  if (path !== undefined && path !== '') return { path }
  if (data !== undefined && data !== '') return { data: decodeBase64Field(data, `${where}.${base}Data`) }
  if (required) throw invalidPolicy(`${where}: one of ${base}Path and ${base}Data must be specified`)
  return undefined
}

function parseFulcio(v: unknown, where: string): FulcioConfig {
  const obj = expectObject(v, where)
  expectOnlyKeys(obj, ['caPath', 'caData', 'oidcIssuer', 'subjectEmail'], where)
  const ca = onePathOrData(obj, 'ca', where, true) as KeyReference
  const oidcIssuer = optionalString(obj, 'oidcIssuer', where)
  const subjectEmail = optionalString(obj, 'subjectEmail', where)
  if (oidcIssuer === undefined || oidcIssuer === '') throw invalidPolicy(`${where}: oidcIssuer not specified`)
  if (subjectEmail === undefined || subjectEmail === '') throw invalidPolicy(`${where}: subjectEmail not specified`)
  return { ca, oidcIssuer, subjectEmail }
}

function parsePki(v: unknown, where: string): PkiConfig {
  const obj = expectObject(v, where)
  expectOnlyKeys(
    obj,
    ['caRootsPath', 'caRootsData', 'caIntermediatesPath', 'caIntermediatesData', 'subjectEmail', 'subjectHostname'],
    where,
  )
  const caRoots = onePathOrData(obj, 'caRoots', where, true) as KeyReference
  const caIntermediates = onePathOrData(obj, 'caIntermediates', where, false)
  const subjectEmail = optionalString(obj, 'subjectEmail', where)
  const subjectHostname = optionalString(obj, 'subjectHostname', where)
  if (!subjectEmail && !subjectHostname) {
    throw invalidPolicy(`${where}: at least one of subjectEmail and subjectHostname must be specified`)
  }
  return {
    caRoots,
    ...(caIntermediates === undefined ? {} : { caIntermediates }),
    ...(subjectEmail ? { subjectEmail } : {}),
    ...(subjectHostname ? { subjectHostname } : {}),
  }
}
