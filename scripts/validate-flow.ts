import { readFileSync } from 'node:fs';
import { validateFlowText } from '../src/flow/validation/validate-flow';

/**
 * `npm run flow:validate -- <file.json> [more.json …]`: the API's validation, one issue per line with its path.
 * Exits 1 when any file is invalid, 2 when a file cannot be read.
 */
function main(files: string[]): number {
  if (files.length === 0) {
    process.stderr.write('usage: npm run flow:validate -- <flow.json> [more.json …]\n');
    return 2;
  }
  let status = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      process.stderr.write(`${file}: cannot read: ${(err as Error).message}\n`);
      status = 2;
      continue;
    }
    const result = validateFlowText(text);
    for (const issue of result.errors) process.stdout.write(`${file}: error ${issue.property_path}: ${issue.message}\n`);
    for (const issue of result.warnings) process.stdout.write(`${file}: warning ${issue.property_path}: ${issue.message}\n`);
    process.stdout.write(result.valid ? `${file}: valid\n` : `${file}: invalid (code 81022, ${result.errors.length} errors)\n`);
    if (!result.valid && status === 0) status = 1;
  }
  return status;
}

process.exit(main(process.argv.slice(2)));
