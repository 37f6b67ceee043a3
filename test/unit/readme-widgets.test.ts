import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WIDGET_CATALOG } from '../../src/flow/widget-catalog';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The README's widget table: each row's widget types (first column), its "supported", events and outputs cells. */
function widgetRows(): { types: string[]; supported: string; events: string; outputs: string }[] {
  const table = README.slice(README.indexOf('| widget | supported |'));
  return table
    .split('\n')
    .slice(2)
    .filter((line) => line.startsWith('|'))
    .map((line) => line.split(' | '))
    .map(([first, supported, _does, events, outputs]) => ({
      types: [...first!.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]!),
      supported: supported!,
      events: events ?? '',
      outputs: (outputs ?? '').replace(/\|$/, '').trim(),
    }));
}

/** The widget table is how a newcomer learns what runs; it must match what the runtime knows. */
describe('the README widget table', () => {
  const rows = widgetRows();

  test('names every widget type the runtime knows, once', () => {
    const listed = rows.flatMap((row) => row.types);
    expect([...listed].sort()).toEqual(Object.keys(WIDGET_CATALOG).sort());
  });

  test.each(Object.entries(WIDGET_CATALOG))('%s is marked as the runtime treats it, with its events', (type, info) => {
    const row = rows.find((r) => r.types.includes(type))!;
    expect(row.supported.startsWith('no')).toBe(!info.runnable);
    if (info.runnable && type !== 'trigger') {
      expect([...row.events.matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1])).toEqual([...info.events]);
    }
  });

  test.each(Object.entries(WIDGET_CATALOG))('%s lists what it writes under widgets.<name>', (type, info) => {
    const row = rows.find((r) => r.types.includes(type))!;
    const named = [...row.outputs.matchAll(/`([A-Za-z_]+)`/g)].map((m) => m[1]);
    expect(named).toEqual(expect.arrayContaining(info.writes.filter((key) => key !== '*')));
    expect(row.outputs === '').toBe(info.writes.length === 0);
  });
});
