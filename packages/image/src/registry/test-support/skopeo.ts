import { execFile } from 'node:child_process'

/** Runs Debian's skopeo with `--insecure-policy` (policy is not what these tests are about); rejects with its stderr. */
export function skopeo(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('skopeo', ['--insecure-policy', ...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
        reject(
          new Error(
            missing
              ? 'skopeo is not installed (run scripts/install-system-deps.sh)'
              : `skopeo ${args.join(' ')}: ${stderr}`,
          ),
        )
        return
      }
      resolve(stdout)
    })
  })
}
