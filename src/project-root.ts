import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The project root: the folder holding package.json, whether code runs from src/ (tsx) or from dist/ (built). */
export const PROJECT_ROOT = findProjectRoot(__dirname);

function findProjectRoot(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
