import { lintProbes, type Probe } from '../../helpers/eslint-probes';

const restricted = '@typescript-eslint/no-restricted-imports';

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
    results = lintProbes([...forbidden, ...allowed]);
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
