import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/project-root';

/** One fenced code block of a Markdown file: its info string (`sh`, `js`, …; empty when untagged) and its text. */
export interface CodeBlock {
  readonly lang: string;
  readonly code: string;
  /** 1-based line of the opening fence, for failure messages. */
  readonly line: number;
}

/** The fenced (```) code blocks of README.md, in order. */
export function readmeBlocks(): CodeBlock[] {
  const lines = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  let open: { lang: string; line: number; body: string[] } | undefined;
  lines.forEach((text, i) => {
    const fence = /^```(\S*)\s*$/.exec(text);
    if (!open) {
      if (fence) open = { lang: fence[1] ?? '', line: i + 1, body: [] };
      return;
    }
    if (fence && fence[1] === '') {
      blocks.push({ lang: open.lang, code: open.body.join('\n'), line: open.line });
      open = undefined;
    } else {
      open.body.push(text);
    }
  });
  if (open) throw new Error(`README.md: the code block at line ${open.line} is never closed`);
  return blocks;
}
