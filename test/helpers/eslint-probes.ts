import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** A small source text that lint reads as if it lived at `file` (a path from the project root). */
export interface Probe {
  readonly file: string;
  readonly code: string;
}

/**
 * Lints each probe as if it lived at its path, with the project's own ESLint configuration, and returns each probe's
 * messages as `<rule id>: <message>`. ESLint loads its ESM config through a dynamic import that jest's VM cannot run,
 * so the linting happens in a child Node process. Rules that read other files (import-x's cycle and path rules) read
 * them from disk, so a probe may stand in for an existing file.
 */
export function lintProbes(probes: readonly Probe[]): string[][] {
  const script = `
    import { ESLint } from 'eslint';
    const probes = JSON.parse(process.env.PROBES);
    // Probes are not files of the TypeScript project, so type-aware parsing and rules are switched off for them.
    const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: {
      languageOptions: { parserOptions: { projectService: false } },
      rules: { '@typescript-eslint/no-floating-promises': 'off' },
    } });
    const out = [];
    for (const p of probes) {
      const [result] = await eslint.lintText(p.code, { filePath: p.file });
      out.push(result.messages.map((m) => (m.ruleId ?? 'parse') + ': ' + m.message));
    }
    process.stdout.write(JSON.stringify(out));`;
  const env = { ...process.env, PROBES: JSON.stringify(probes.map((p) => ({ ...p, file: join(root, p.file) }))) };
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env }).toString());
}
