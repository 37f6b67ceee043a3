import type { FlowContext, JsonObject } from '../../../src/flow/context';
import { renderTemplate } from '../../../src/flow/liquid';
import { STUDIO_TIMEZONE } from '../../../src/flow/studio-rules';

const studio = { timezone: STUDIO_TIMEZONE };
const contextWith = (data: JsonObject): FlowContext => ({
  flow: { sid: 'FN1', flow_sid: 'FW1', channel: { address: '+15559990000' }, data, variables: {} },
  trigger: {},
  widgets: {},
  contact: { channel: { address: '+15551230000' } },
});

describe("Liquid as Studio renders it (executions under Studio's rules)", () => {
  const data = { patient_id: 1000, event_type: 'BOOKED', note: 'said "hi"\nthen left', items: ['a', 'b'], nested: { a: { b: 'c' }, list: [1, 2], none: null } };

  it('writes an object as {key=value, key=value}, the form Twilio’s patient-appointment Functions parse (issue 12)', () => {
    expect(renderTemplate('{{flow.data.nested.a}}', contextWith(data), studio)).toBe('{b=c}');
    const flat = renderTemplate('{{flow.data}}', contextWith({ patient_id: 1000, event_type: 'BOOKED' }), studio);
    expect(flat).toBe('{patient_id=1000, event_type=BOOKED}');
    // The Functions' own parse: strip the braces, split on ',' then '=' (keys and values trimmed).
    const parsed = Object.fromEntries(flat.replace(/^\{|\}$/g, '').split(',').map((pair) => pair.split('=').map((s) => s.trim())));
    expect(parsed).toEqual({ patient_id: '1000', event_type: 'BOOKED' });
  });

  it('writes arrays as [a, b] and nested values in the same form, null inside as null', () => {
    expect(renderTemplate('{{flow.data.items}}', contextWith(data), studio)).toBe('[a, b]');
    expect(renderTemplate('{{flow.data.nested}}', contextWith(data), studio)).toBe('{a={b=c}, list=[1, 2], none=null}');
  });

  it('the old rendering (executions started before) stays JSON for objects and a comma join for arrays', () => {
    expect(renderTemplate('{{flow.data.nested.a}}', contextWith(data))).toBe('{"b":"c"}');
    expect(renderTemplate('{{flow.data.items}}', contextWith(data))).toBe('a,b');
  });

  it('to_json writes valid JSON, so `{"note": {{flow.data.note | to_json}}}` is a JSON body (issue 12)', () => {
    const body = renderTemplate('{"note": {{flow.data.note | to_json}}, "items": {{flow.data.items | to_json}}, "missing": {{flow.data.nope | to_json}}}', contextWith(data), studio);
    expect(JSON.parse(body)).toEqual({ note: data.note, items: ['a', 'b'], missing: null });
  });

  it('the old rendering ignored to_json, which gave invalid JSON', () => {
    const body = renderTemplate('{"note": {{flow.data.note | to_json}}}', contextWith(data));
    expect(() => JSON.parse(body)).toThrow();
  });

  it('renders dates in Pacific time by default, with DST (the support article: "the timezone used is PST")', () => {
    const context = contextWith({ winter: '2026-01-15T20:00:00Z', summer: '2026-07-15T20:00:00Z' });
    expect(renderTemplate('{{flow.data.winter | date: "%Y-%m-%d %H:%M %z"}}', context, studio)).toBe('2026-01-15 12:00 -0800');
    expect(renderTemplate('{{flow.data.summer | date: "%Y-%m-%d %H:%M %z"}}', context, studio)).toBe('2026-07-15 13:00 -0700');
    // Another zone when the operator chose one; the old rendering stays UTC.
    expect(renderTemplate('{{flow.data.summer | date: "%H:%M"}}', context, { timezone: 'Europe/Berlin' })).toBe('22:00');
    expect(renderTemplate('{{flow.data.summer | date: "%H:%M"}}', context)).toBe('20:00');
  });

  it('renders the same date text whatever zone the worker process runs in', () => {
    const context = contextWith({ at: '2026-03-08T10:30:00Z' }); // the day US clocks change: 02:30 PDT
    const before = process.env.TZ;
    const texts: string[] = [];
    try {
      for (const zone of ['UTC', 'Asia/Tokyo', 'America/New_York']) {
        process.env.TZ = zone;
        texts.push(renderTemplate('{{flow.data.at | date: "%Y-%m-%d %H:%M"}}', context, studio));
      }
    } finally {
      process.env.TZ = before;
    }
    expect(texts).toEqual(['2026-03-08 03:30', '2026-03-08 03:30', '2026-03-08 03:30']);
  });
});
