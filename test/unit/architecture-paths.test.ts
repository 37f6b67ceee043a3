import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const MAP = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');

/** The project's files, as paths from the root (dependencies, build output and git's own files left out). */
function projectFiles(dir = ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (['node_modules', 'dist', '.git', '.temporal-cli', '.data', 'coverage'].includes(entry.name)) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? projectFiles(path) : [relative(ROOT, path).split('\\').join('/')];
  });
}

/** Every file or folder the codemap names in backticks (`src/api/app.ts`, `inbox.ts`, `src/services/`), templates left out. */
function namedPaths(): string[] {
  const spans = [...MAP.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!);
  return [...new Set(spans.filter((span) => /^[\w.-]+(\/[\w.-]+)*(\.(ts|md|mjs|json)|\/)$/.test(span)))];
}

/** A newcomer follows the codemap file by file: every path it names must exist after a move or a rename. */
describe('ARCHITECTURE.md', () => {
  const files = projectFiles();
  const paths = namedPaths();

  test('names files', () => {
    expect(paths.length).toBeGreaterThan(40);
  });

  test.each(paths)('names %s, which exists', (path) => {
    const exists = path.endsWith('/')
      ? files.some((file) => file.startsWith(path) || file.includes(`/${path}`))
      : files.some((file) => file === path || file.endsWith(`/${path}`));
    expect(exists).toBe(true);
  });
});

/** One name per concept (issue 13): a file's name says what it is wherever it is met, in a stack trace or an import. */
describe('src/', () => {
  test('has no two files with the same name (index.ts, a folder\'s entry, aside)', () => {
    const names = projectFiles(join(ROOT, 'src')).map((file) => file.split('/').pop()!).filter((name) => name !== 'index.ts');
    const repeated = names.filter((name, i) => names.indexOf(name) !== i);
    expect(repeated).toEqual([]);
  });
});
