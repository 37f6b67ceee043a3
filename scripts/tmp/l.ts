import { Liquid } from 'liquidjs';
const l = new Liquid({ timezoneOffset: 0, ownPropertyOnly: true, outputEscape: (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? JSON.stringify(v) : v === undefined || v === null ? '' : String(v)) });
const ctx = { widgets: { a: { parsed: { x: 1, y: [1, 2] }, list: [1, 2], n: null } }, flow: { data: { n: '5' } } };
for (const t of ['{{widgets.a.parsed}}', '{{widgets.a.list}}', '{{missing.x}}', '{{widgets.a.n}}', '{{flow.data.n | plus: 1}}', '{{ widgets.a.parsed | json }}', 'a{{ true }}b{{ 1.5 }}']) {
  try { console.log(JSON.stringify(t), '=>', JSON.stringify(l.parseAndRenderSync(t, ctx))); } catch (e) { console.log(t, 'ERR', (e as Error).message); }
}
