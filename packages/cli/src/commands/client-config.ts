import { createKbsAdminClient, type KbsAdminClient } from '@carapace/kbs-client'
import { sampleRegisterMessage, RvpsError } from '@carapace/rvps'
import { isResourcePath } from '@carapace/protocol'
import { resolveAdminCredentials, type AdminCredentialFlags, type AdminEnvironment } from '../admin-credentials.ts'
import type { FailureContextHolder } from '../client-action.ts'
import type { CommandIo } from '../command.ts'
import { choiceFlag, parseFlags, UsageError } from '../flags.ts'
import { readInputBytes, readInputText } from '../input-files.ts'
import { KBS_TARGET_FLAGS, kbsTarget } from '../kbs-target.ts'
import { EXIT_OK } from '../output.ts'
import { splitSubcommand } from '../subcommand-args.ts'
import { BUILTIN_RESOURCE_POLICIES } from './builtin-resource-policies.ts'

export const ADMIN_FLAGS = {
  'admin-token-file': { type: 'string' },
  'admin-token': { type: 'string' },
  'admin-key': { type: 'string' },
  'auth-private-key': { type: 'string' },
} as const

export const CONFIG_COMMANDS = [
  'set-resource',
  'delete-resource',
  'set-resource-policy',
  'get-resource-policy',
  'set-attestation-policy',
  'set-sample-reference-value',
  'get-reference-value',
  'get-reference-values',
] as const

const COMMON_FLAGS = { ...KBS_TARGET_FLAGS, ...ADMIN_FLAGS } as const

/** Names of every flag of the config commands that takes a value (for finding the subcommand word). */
export const CONFIG_VALUE_FLAGS = [...Object.keys(COMMON_FLAGS), 'path', 'resource-file', 'policy-file', 'id', 'type']

function adminClient(
  values: AdminCredentialFlags & { readonly url?: string | undefined; readonly 'cert-file'?: string | undefined },
  environment: AdminEnvironment,
  holder: FailureContextHolder,
): KbsAdminClient {
  const target = kbsTarget(values)
  holder.context = target
  const credentials = resolveAdminCredentials(values, environment)
  holder.context = { ...target, adminCredentials: credentials.description }
  return createKbsAdminClient({
    url: target.url,
    fetch: target.fetch,
    ...(credentials.token === undefined ? {} : { token: credentials.token }),
  })
}

function noPositionals(positionals: readonly string[]): void {
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`)
}

function resourcePath(path: string | undefined): string {
  if (path === undefined) throw new UsageError('--path repo/type/tag is required')
  if (!isResourcePath(path)) throw new UsageError(`--path ${JSON.stringify(path)} is not repo/type/tag`)
  return path
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64')
}

/** `carapace client config <command>`: the KBS admin API with an admin bearer token. */
export async function clientConfig(
  args: readonly string[],
  io: CommandIo,
  holder: FailureContextHolder,
  environment: AdminEnvironment,
): Promise<number> {
  const { name, rest } = splitSubcommand(args, CONFIG_VALUE_FLAGS, CONFIG_COMMANDS, 'config command')
  holder.label = `config ${name}`
  switch (name) {
    case 'set-resource': {
      const { values, positionals } = parseFlags(rest, {
        ...COMMON_FLAGS,
        path: { type: 'string' },
        'resource-file': { type: 'string' },
      })
      noPositionals(positionals)
      const path = resourcePath(values.path)
      const file = values['resource-file']
      if (file === undefined) throw new UsageError('--resource-file FILE is required')
      const bytes = readInputBytes('--resource-file', file)
      await adminClient(values, environment, holder).setResource(path, bytes)
      io.stdout(`Set resource success: ${path} (${String(bytes.byteLength)} bytes)\n`)
      return EXIT_OK
    }
    case 'delete-resource': {
      const { values, positionals } = parseFlags(rest, { ...COMMON_FLAGS, path: { type: 'string' } })
      noPositionals(positionals)
      const path = resourcePath(values.path)
      await adminClient(values, environment, holder).deleteResource(path)
      io.stdout(`Delete resource success: ${path}\n`)
      return EXIT_OK
    }
    case 'set-resource-policy': {
      const { values, positionals } = parseFlags(rest, {
        ...COMMON_FLAGS,
        'policy-file': { type: 'string' },
        'allow-all': { type: 'boolean' },
        'deny-all': { type: 'boolean' },
        affirming: { type: 'boolean' },
        default: { type: 'boolean' },
      })
      noPositionals(positionals)
      const builtins = (['allow-all', 'deny-all', 'affirming', 'default'] as const).filter((f) => values[f] === true)
      const file = values['policy-file']
      const chosen = builtins.length + (file === undefined ? 0 : 1)
      if (chosen !== 1) {
        throw new UsageError('give exactly one of --policy-file FILE, --allow-all, --deny-all, --affirming, --default')
      }
      const builtin = builtins[0]
      const policy =
        file !== undefined ? readInputText('--policy-file', file) : BUILTIN_RESOURCE_POLICIES[builtin ?? 'default']
      await adminClient(values, environment, holder).setResourcePolicy(policy)
      io.stdout(`Set resource policy success\n policy: ${base64(policy)}\n`)
      return EXIT_OK
    }
    case 'get-resource-policy': {
      const { values, positionals } = parseFlags(rest, COMMON_FLAGS)
      noPositionals(positionals)
      const answer = await adminClient(values, environment, holder).getResourcePolicy()
      io.stdout(`${JSON.stringify(answer)}\n`)
      return EXIT_OK
    }
    case 'set-attestation-policy': {
      const { values, positionals } = parseFlags(rest, {
        ...COMMON_FLAGS,
        'policy-file': { type: 'string' },
        id: { type: 'string', default: 'default_cpu' },
        type: { type: 'string', default: 'rego' },
      })
      noPositionals(positionals)
      choiceFlag('type', values.type, ['rego'])
      const file = values['policy-file']
      if (file === undefined) throw new UsageError('--policy-file FILE is required')
      if (!/^[A-Za-z0-9_.-]{1,128}$/.test(values.id)) {
        throw new UsageError(`--id ${JSON.stringify(values.id)} must be 1-128 letters, digits, '_', '.' or '-'`)
      }
      const policy = readInputText('--policy-file', file)
      await adminClient(values, environment, holder).setAttestationPolicy(policy, values.id)
      io.stdout(`Set attestation policy success: ${values.id}\n policy: ${base64(policy)}\n`)
      return EXIT_OK
    }
    case 'set-sample-reference-value': {
      const { values, positionals } = parseFlags(rest, {
        ...COMMON_FLAGS,
        'as-integer': { type: 'boolean' },
        'as-bool': { type: 'boolean' },
        'as-single-value': { type: 'boolean' },
      })
      const [rvName, value, ...extra] = positionals
      if (rvName === undefined || value === undefined || extra.length > 0) {
        throw new UsageError('expected NAME and VALUE')
      }
      let message
      try {
        message = sampleRegisterMessage(rvName, value, {
          asInteger: values['as-integer'] === true,
          asBool: values['as-bool'] === true,
          asSingleValue: values['as-single-value'] === true,
        })
      } catch (e) {
        if (e instanceof RvpsError) throw new UsageError(e.message)
        throw e
      }
      await adminClient(values, environment, holder).setReferenceValue({ ...message })
      io.stdout('Reference Values Updated\n')
      return EXIT_OK
    }
    case 'get-reference-value': {
      const { values, positionals } = parseFlags(rest, { ...COMMON_FLAGS, id: { type: 'string' } })
      noPositionals(positionals)
      const id = values.id
      if (id === undefined || id === '') throw new UsageError('--id NAME is required')
      if (!/^[^/?#\s]+$/.test(id))
        throw new UsageError(`--id ${JSON.stringify(id)} must not contain '/', '?', '#' or spaces`)
      const value = await adminClient(values, environment, holder).getReferenceValue(encodeURIComponent(id))
      io.stdout(`${JSON.stringify(value)}\n`)
      return EXIT_OK
    }
    case 'get-reference-values': {
      const { values, positionals } = parseFlags(rest, COMMON_FLAGS)
      noPositionals(positionals)
      const listed = await adminClient(values, environment, holder).listReferenceValues()
      io.stdout(`${JSON.stringify(listed, null, 2)}\n`)
      return EXIT_OK
    }
    default:
      throw new UsageError(`unknown config command ${JSON.stringify(name)}`)
  }
}
