import { processAdminEnvironment, type AdminEnvironment } from '../admin-credentials.ts'
import { runClientAction } from '../client-action.ts'
import type { Command } from '../command.ts'
import { splitSubcommand } from '../subcommand-args.ts'
import { clientAttest } from './client-attest.ts'
import { clientConfig, CONFIG_VALUE_FLAGS } from './client-config.ts'
import { clientGetResource } from './client-get-resource.ts'

const usage = `Usage: carapace client [--url URL] [--cert-file PEM] <command> [options]

A KBS client with Trustee kbs-client's commands and flags. As a (sample) guest: attest and
get-resource. As the operator: config commands on the admin API.

Connection (before or after the command):
  --url URL            the KBS root URL (default https://127.0.0.1:8080)
  --cert-file PEM      trust this certificate (or CA) for an HTTPS KBS, e.g. the self-signed
                       carapace-data/tls/server-cert.pem of \`carapace kbs serve\`

Guest commands (sample attester):
  attest [--init-data FILE | INIT_DATA] [--tee-key-file PEM] [--out FILE]
      run the RCAR handshake and print the attestation token
  get-resource --path REPO/TYPE/TAG [--init-data FILE | INIT_DATA] [--out FILE]
               [--tee-key-file PEM [--attestation-token FILE]]
      attest (or use a token bound to --tee-key-file) and print the resource in standard
      base64; --out writes the raw bytes (mode 0600)

Operator commands: config [admin credentials] <command>
  admin credentials, at most one (default: a token minted from
  $CARAPACE_DATA_DIR or ./carapace-data's admin/admin-key.pem when it exists, else none):
    --admin-token-file FILE   a file holding an admin JWT (\`carapace admin token --out FILE\`)
    --admin-token JWT         the admin JWT itself
    --admin-key PEM           mint a 5-minute admin token from this private key
                              (alias --auth-private-key, Trustee's name)
  set-resource --path REPO/TYPE/TAG --resource-file FILE
  delete-resource --path REPO/TYPE/TAG
  set-resource-policy (--policy-file FILE | --allow-all | --deny-all | --affirming | --default)
      --affirming and --default install the KBS default: release only when every submodule
      of the attestation token is affirming
  get-resource-policy
  set-attestation-policy --policy-file FILE [--id default_cpu] [--type rego]
  set-sample-reference-value NAME VALUE [--as-integer | --as-bool] [--as-single-value]
  get-reference-value --id NAME
  get-reference-values        every unexpired reference value, as a JSON object by name
                              (a Carapace extension; an upstream Trustee KBS lacks it)

Exit status: 0 success, 1 failure (the KBS's error body is printed), 2 usage error.

Examples:
  carapace client --cert-file carapace-data/tls/server-cert.pem config \\
      set-resource --path default/key/one --resource-file secret.bin
  carapace client --cert-file carapace-data/tls/server-cert.pem get-resource --path default/key/one`

const CLIENT_COMMANDS = ['attest', 'get-resource', 'config'] as const
const CLIENT_VALUE_FLAGS = [...CONFIG_VALUE_FLAGS, 'init-data', 'tee-key-file', 'attestation-token', 'out']

export function createClientCommand(environment: AdminEnvironment = processAdminEnvironment): Command {
  const command: Command = {
    path: ['client'],
    summary: 'KBS client: attest, get-resource, and config (admin API) commands',
    usage,
    run: (args, io) =>
      runClientAction(command, io, (holder) => {
        const { name, rest } = splitSubcommand(args, CLIENT_VALUE_FLAGS, CLIENT_COMMANDS, 'client command')
        holder.label = name
        if (name === 'attest') return clientAttest(rest, io, holder)
        if (name === 'get-resource') return clientGetResource(rest, io, holder)
        return clientConfig(rest, io, holder, environment)
      }),
  }
  return command
}

export const client: Command = createClientCommand()
