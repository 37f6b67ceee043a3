/**
 * One row of the chaos table. The columns are defined in scripts/chaos/main.ts's header comment and in the
 * README's reliability section; every scenario fills them the same way.
 */
export interface Row {
  readonly name: string;
  tried: number;
  endedCorrectly: number;
  lost: number;
  duplicated: number;
  stuck: number;
  http5xx: number;
  workerCrashes: number;
  /** What each non-zero figure was, in a few words (first examples only). */
  readonly notes: string[];
}

/** An empty row named `name` (all figures 0). */
export function newRow(name: string): Row {
  return { name, tried: 0, endedCorrectly: 0, lost: 0, duplicated: 0, stuck: 0, http5xx: 0, workerCrashes: 0, notes: [] };
}

const noteKeys = new WeakMap<Row, Set<string>>();

/**
 * Adds a note once per `key` (default: the text itself), at most `limit` per row, so a storm of one failure does not
 * flood the table; the first example of each kind is kept.
 */
export function note(row: Row, text: string, limit = 6, key = text): void {
  const keys = noteKeys.get(row) ?? new Set<string>();
  noteKeys.set(row, keys);
  if (keys.has(key) || row.notes.length >= limit) return;
  keys.add(key);
  row.notes.push(text);
}

/** The columns that must be 0 for the suite to pass (issue 11's target). */
export const FAILURE_COLUMNS = ['lost', 'duplicated', 'stuck', 'http5xx', 'workerCrashes'] as const;

/** True when a row misses the target: a failure column is not 0, or not every try ended correctly. */
export function failed(row: Row): boolean {
  return FAILURE_COLUMNS.some((column) => row[column] !== 0) || row.endedCorrectly !== row.tried;
}

/** The one table the suite prints: a Markdown table (it reads in a terminal and pastes into the README). */
export function renderTable(rows: readonly Row[]): string {
  const header = ['row', 'tried', 'ended correctly', 'lost', 'duplicated', 'stuck', '5xx', 'worker crashes'];
  const lines = rows.map((r) => [r.name, r.tried, r.endedCorrectly, r.lost, r.duplicated, r.stuck, r.http5xx, r.workerCrashes].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [format(header), rule, ...lines.map(format)].join('\n');
}

/** The notes under the table: one line per remark, prefixed with its row. */
export function renderNotes(rows: readonly Row[]): string {
  return rows.flatMap((r) => r.notes.map((n) => `- ${r.name}: ${n}`)).join('\n');
}
