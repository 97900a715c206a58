/** Reads the launched script's command-line flags with the analyzer (never runs it). */
import { resolve } from 'node:path';
import { analyzeSource } from '../../analyze/index.js';
import { readSourceFile } from '../../io/read-source.js';
import { getPythonParser } from '../../parser/index.js';
import { flagsFor, pythonScript } from './flags.js';

/** The flag for each key; `--KEY` for all when the command is not `python SCRIPT.py` or the script cannot be read. */
export async function scriptFlags(argv: readonly string[], cwd: string, keys: readonly string[]): Promise<Record<string, string>> {
  const script = pythonScript(argv);
  if (script === null || keys.length === 0) return flagsFor(keys, []);
  try {
    const file = readSourceFile(resolve(cwd, script));
    const analysis = analyzeSource(await getPythonParser(), file, script);
    return flagsFor(keys, analysis.config.arguments);
  } catch {
    // An unreadable script fails at run time with its own message; the flags fall back to --KEY.
    return flagsFor(keys, []);
  }
}
