import { execFile } from 'node:child_process'

/** Runs a peer tool; rejects with its stderr, or with an install hint when it is missing. */
export function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
        reject(
          new Error(
            missing
              ? `${command} is not installed (run scripts/install-system-deps.sh)`
              : `${command} ${args.join(' ')}: ${stderr}`,
          ),
        )
        return
      }
      resolve(stdout)
    })
  })
}

/** Debian's skopeo with `--insecure-policy` (signature policy is not what these tests are about). */
export function skopeo(args: readonly string[]): Promise<string> {
  return run('skopeo', ['--insecure-policy', ...args])
}
