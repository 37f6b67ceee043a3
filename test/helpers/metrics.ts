import type { MetricCounter, MetricGauge, MetricHistogram, MetricMeter, MetricTags, MetricUpDownCounter } from '@temporalio/common';

/** A MetricMeter that keeps what it is given, for tests that check what the API counted. */
export interface RecordingMeter extends MetricMeter {
  /** The sum added to counter `name` with tag `tag` equal to `value` (all of it when no tag is given). */
  total(name: string, tag?: [string, string]): number;
  /** The last value set on gauge `name`. */
  lastValue(name: string): number | undefined;
}

export function recordingMeter(): RecordingMeter {
  const adds: { name: string; value: number; tags: MetricTags }[] = [];
  const gauges = new Map<string, number>();
  const base = (name: string, unit?: string, description?: string) => ({ name, unit, description });
  const counter = (name: string, unit?: string, description?: string, tags: MetricTags = {}): MetricCounter => ({
    ...base(name, unit, description),
    kind: 'counter',
    valueType: 'int',
    add: (value, extra) => void adds.push({ name, value, tags: { ...tags, ...extra } }),
    withTags: (more) => counter(name, unit, description, { ...tags, ...more }),
  });
  const gauge = (name: string, unit?: string, description?: string): MetricGauge => ({
    ...base(name, unit, description),
    kind: 'gauge',
    valueType: 'int',
    set: (value) => void gauges.set(name, value),
    withTags: () => gauge(name, unit, description),
  });
  const histogram = (name: string, unit?: string, description?: string): MetricHistogram => ({
    ...base(name, unit, description),
    kind: 'histogram',
    valueType: 'int',
    record: () => undefined,
    withTags: () => histogram(name, unit, description),
  });
  const upDown = (name: string, unit?: string, description?: string): MetricUpDownCounter => ({
    ...base(name, unit, description),
    kind: 'up-down-counter',
    valueType: 'int',
    add: () => undefined,
    withTags: () => upDown(name, unit, description),
  });
  const meter: RecordingMeter = {
    createCounter: (name, unit, description) => counter(name, unit, description),
    createGauge: (name, _valueType, unit, description) => gauge(name, unit, description),
    createHistogram: (name, _valueType, unit, description) => histogram(name, unit, description),
    createUpDownCounter: (name, unit, description) => upDown(name, unit, description),
    withTags: () => meter,
    total: (name, tag) =>
      adds.filter((a) => a.name === name && (!tag || a.tags[tag[0]] === tag[1])).reduce((sum, a) => sum + a.value, 0),
    lastValue: (name) => gauges.get(name),
  };
  return meter;
}
