import {
  defaultAdminKeyPath,
  mintFromKeyFile,
  parseTtl,
  processAdminEnvironment,
  type AdminEnvironment,
} from '../admin-credentials.ts'
import { runClientAction } from '../client-action.ts'
import type { Command } from '../command.ts'
import { parseFlags, UsageError } from '../flags.ts'
import { writePrivateFile } from '../input-files.ts'
import { EXIT_OK } from '../output.ts'

const usage = `Usage: carapace admin token [options]

Mints an admin bearer token (JWT) for the KBS admin API from the admin private key, like
Trustee's reference admin token: {"alg":"EdDSA","typ":"JWT"}, claims role, aud, iat, exp (and iss
when given). Ed25519 keys sign EdDSA, EC P-256 keys ES256, RSA keys RS256. Prints the token, or
writes it to --out with mode 0600.

Options:
  --key FILE        the admin private key (PEM); default $CARAPACE_DATA_DIR/admin/admin-key.pem,
                    else ./carapace-data/admin/admin-key.pem (what \`carapace kbs serve\` generates)
  --role ROLE       the role claim, which needs an entry in the KBS's
                    [[admin.authorization.regex_acl.acls]] (default admin)
  --ttl DURATION    lifetime: 90s, 15m, 1h (default), 7d; at most 366d
  --issuer ISS      the iss claim (needed when the KBS's identity provider sets issuer)
  --audience AUD    an aud entry (repeatable; default kbs)
  --out FILE        write the token to FILE (mode 0600) instead of stdout

Example:
  carapace client config --admin-token-file <(carapace admin token) set-resource-policy --affirming`

export function createAdminTokenCommand(environment: AdminEnvironment = processAdminEnvironment): Command {
  const command: Command = {
    path: ['admin', 'token'],
    summary: 'Mint an admin JWT from the admin private key',
    usage,
    run: (args, io) =>
      runClientAction(command, io, () => {
        const { values, positionals } = parseFlags(args, {
          key: { type: 'string' },
          role: { type: 'string', default: 'admin' },
          ttl: { type: 'string', default: '1h' },
          issuer: { type: 'string' },
          audience: { type: 'string', multiple: true },
          out: { type: 'string' },
        })
        if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`)
        if (values.role.trim() === '') throw new UsageError('--role is empty')
        const ttlSeconds = parseTtl(values.ttl)
        const keyPath = values.key ?? defaultAdminKeyPath(environment.env)
        const token = mintFromKeyFile(values.key === undefined ? 'default admin key' : '--key', keyPath, {
          role: values.role,
          ttlSeconds,
          now: environment.now,
          ...(values.issuer === undefined ? {} : { iss: values.issuer }),
          ...(values.audience === undefined ? {} : { aud: values.audience }),
        })
        if (values.out === undefined) {
          io.stdout(`${token}\n`)
        } else {
          writePrivateFile('--out', values.out, `${token}\n`)
          const expires = new Date(environment.now() + ttlSeconds * 1000).toISOString()
          io.stderr(`wrote an admin token (role ${values.role}, expires ${expires}) to ${values.out}\n`)
        }
        return Promise.resolve(EXIT_OK)
      }),
  }
  return command
}

export const adminToken: Command = createAdminTokenCommand()
