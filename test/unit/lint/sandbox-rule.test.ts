import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const restricted = '@typescript-eslint/no-restricted-imports';

interface Probe {
  readonly file: string;
  readonly code: string;
}

/**
 * Lints each probe as if it lived at its path, with the project's own ESLint configuration. ESLint loads its ESM
 * config through a dynamic import that jest's VM cannot run, so the linting happens in a child Node process.
 */
function lint(probes: readonly Probe[]): string[][] {
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

const forbidden: Probe[] = [
  { file: 'src/workflows/probe.ts', code: "import { readFileSync } from 'fs';\nexport const f = readFileSync;\n" },
  { file: 'src/flow/probe.ts', code: "import { createHash } from 'node:crypto';\nexport const f = createHash;\n" },
  { file: 'src/flow/probe.ts', code: "import twilio from 'twilio';\nexport const f = twilio;\n" },
  { file: 'src/workflows/probe.ts', code: "import express from 'express';\nexport const f = express;\n" },
  {
    file: 'src/workflows/probe.ts',
    code: "import { createTwilioClient } from '../activities/twilio/twilio-client';\nexport const f = createTwilioClient;\n",
  },
];
const allowed: Probe[] = [
  {
    file: 'src/workflows/probe.ts',
    code: "import type { TwilioClient } from '../activities/twilio/twilio-client';\nexport type C = TwilioClient;\n",
  },
  { file: 'src/api/probe.ts', code: "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n" },
];

describe('the workflow sandbox lint rule', () => {
  let results: string[][];
  beforeAll(() => {
    results = lint([...forbidden, ...allowed]);
  });

  test.each(forbidden.map((probe, i) => [probe.file, probe.code.split('\n')[0], i] as const))(
    'when %s has `%s`, then lint reports a restricted import',
    (_file, _line, i) => {
      expect(results[i]?.some((m) => m.startsWith(restricted))).toBe(true);
    },
  );

  test.each(allowed.map((probe, i) => [probe.file, probe.code.split('\n')[0], forbidden.length + i] as const))(
    'when %s has `%s`, then lint accepts it',
    (_file, _line, i) => {
      expect(results[i]).toEqual([]);
    },
  );
});
