import { readFile } from 'node:fs/promises'
import { KbsConfigError } from './errors.ts'
import { parseKbsConfig, type ParsedKbsConfig } from './parse-kbs-config.ts'

/**
 * Reads and parses a KBS config file; the format follows the extension, as upstream. Choosing
 * the path is the CLI's job: `--config` / `-c`, else the `KBS_CONFIG_FILE` environment variable
 * (upstream's two ways), else no file at all and `defaultKbsConfig`.
 */
export async function loadKbsConfig(path: string): Promise<ParsedKbsConfig> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new KbsConfigError('CONFIG_UNREADABLE', `${path}: cannot read config file: ${detail}`, { cause: error })
  }
  return parseKbsConfig(text, { fileName: path })
}
