// A flow drawn as on Studio's canvas: widgets at their exported offsets, transitions as labelled arrows, and an
// execution's path lit on top.
import dagre from '@dagrejs/dagre';
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './lib.js';

/** A widget's box on the canvas, in canvas pixels (Studio's offsets are the box's top-left corner). */
export const WIDGET_WIDTH = 240;
export const WIDGET_HEIGHT = 92;
const PAD = 40;
const CHAR_WIDTH = 6.2;

/** Every widget has a numeric properties.offset: the flow came from Studio's canvas and is drawn where it was. */
function hasOffsets(states) {
  return states.every((s) => Number.isFinite(s.properties?.offset?.x) && Number.isFinite(s.properties?.offset?.y));
}

/** Top-left corner of each widget: its offset, or a layered layout (dagre) for flows written without a canvas. */
export function layout(states) {
  if (hasOffsets(states)) return new Map(states.map((s) => [s.name, { x: s.properties.offset.x, y: s.properties.offset.y }]));
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 60, ranksep: 90 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const s of states) graph.setNode(s.name, { width: WIDGET_WIDTH, height: WIDGET_HEIGHT });
  for (const s of states) for (const t of s.transitions ?? []) if (t.next && graph.hasNode(t.next)) graph.setEdge(s.name, t.next);
  dagre.layout(graph);
  // dagre gives centres; the canvas works with top-left corners, like Studio's offsets.
  return new Map(states.map((s) => {
    const node = graph.node(s.name);
    return [s.name, { x: node.x - WIDGET_WIDTH / 2, y: node.y - WIDGET_HEIGHT / 2 }];
  }));
}

/**
 * Studio's validation issues ({property_path: '#/states/3/…', message}) by widget name; a `/type` issue means the
 * widget type is not run here (voice widgets, for one).
 */
export function issuesByWidget(states, issues = []) {
  const byWidget = new Map();
  for (const issue of issues) {
    const match = /^#?\/states\/(\d+)(\/.*)?$/.exec(issue.property_path ?? '');
    const state = match ? states[Number(match[1])] : undefined;
    if (!state) continue;
    const list = byWidget.get(state.name) ?? [];
    list.push({ ...issue, notRun: match[2] === '/type' });
    byWidget.set(state.name, list);
  }
  return byWidget;
}

const clip = (text, chars) => (text.length > chars ? `${text.slice(0, chars - 1)}…` : text);

function bezier(p0, p1, p2, p3, t) {
  const u = 1 - t;
  return {
    x: u * u * u * p0.x + 3 * u * u * t * p1.x + 3 * u * t * t * p2.x + t * t * t * p3.x,
    y: u * u * u * p0.y + 3 * u * u * t * p1.y + 3 * u * t * t * p2.y + t * t * t * p3.y,
  };
}

/** One transition: from its port at the bottom of `from` to the top of `to`, labelled with its event. */
function Arrow({ from, to, index, count, event, next, taken, widget }) {
  const start = { x: from.x + ((index + 1) * WIDGET_WIDTH) / (count + 1), y: from.y + WIDGET_HEIGHT };
  const end = { x: to.x + WIDGET_WIDTH / 2, y: to.y - 6 };
  const bend = Math.max(50, Math.abs(end.y - start.y) / 2);
  const c1 = { x: start.x, y: start.y + bend };
  const c2 = { x: end.x, y: end.y - bend };
  const label = bezier(start, c1, c2, end, 0.18);
  const width = event.length * CHAR_WIDTH + 8;
  return html`<g class=${taken ? 'arrow taken' : 'arrow'} data-from=${widget} data-event=${event} data-to=${next}>
    <path d=${`M${start.x},${start.y} C${c1.x},${c1.y} ${c2.x},${c2.y} ${end.x},${end.y}`} marker-end=${taken ? 'url(#head-taken)' : 'url(#head)'} />
    <rect class="label-bg" x=${label.x - width / 2} y=${label.y - 8} width=${width} height="16" rx="3" />
    <text class="label" x=${label.x} y=${label.y + 4} text-anchor="middle">${event}</text>
  </g>`;
}

function Widget({ state, at, issues, visited, current }) {
  const notRun = issues.some((i) => i.notRun);
  const classes = ['widget', visited && 'visited', current && 'current', issues.length > 0 && 'has-issue', notRun && 'not-run'].filter(Boolean).join(' ');
  const first = issues.find((i) => !i.notRun);
  return html`<g class=${classes} data-widget=${state.name} data-type=${state.type} transform=${`translate(${at.x},${at.y})`}>
    <title>${[`${state.name} (${state.type})`, ...issues.map((i) => `${i.property_path}: ${i.message}`)].join('\n')}</title>
    <rect class="box" width=${WIDGET_WIDTH} height=${WIDGET_HEIGHT} rx="6" />
    <rect class="band" width=${WIDGET_WIDTH} height="6" rx="3" />
    <text class="name" x="12" y="30">${clip(state.name, 30)}</text>
    <text class="type" x="12" y="50">${state.type}</text>
    ${notRun ? html`<text class="not-run-badge" x="12" y="72">not run by studio-temporal</text>` : null}
    ${first ? html`<text class="issue" x="12" y="72">⚠ ${clip(first.message, 34)}</text>` : null}
  </g>`;
}

/** Share of the window's height the canvas may take (its scroller's max-height in style.css). */
const HEIGHT_SHARE = 0.78;

/** The room the canvas has on the page, followed as the page or the window resizes (for "fit"). */
function useRoom(ref) {
  const [room, setRoom] = useState({ width: 0, height: 0 });
  useEffect(() => {
    // The element as mounted: a resize event may come after it is gone (ref.current is null by then).
    const element = ref.current;
    if (!element) return undefined;
    const measure = () => setRoom({ width: element.clientWidth, height: innerHeight * HEIGHT_SHARE });
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      removeEventListener('resize', measure);
    };
  }, []);
  return room;
}

/**
 * The flow `definition` drawn as on Studio's canvas: fitted to the room on the page, or at 100% (one screen pixel per
 * offset unit). `issues`: the flow's warnings or errors; `path`: an execution's { visited: Set of widget names,
 * taken: Set of `${widget}|${event}|${next}`, current?: name }.
 */
export function Canvas({ definition, issues, path }) {
  const scroller = useRef(null);
  const room = useRoom(scroller);
  const [zoom, setZoom] = useState('fit');
  const states = definition?.states ?? [];
  if (states.length === 0) return html`<p class="muted">No widgets.</p>`;
  const at = layout(states);
  const byWidget = issuesByWidget(states, issues);
  const xs = [...at.values()].map((p) => p.x);
  const ys = [...at.values()].map((p) => p.y);
  const minX = Math.min(...xs) - PAD;
  const minY = Math.min(...ys) - PAD;
  const width = Math.max(...xs) - minX + WIDGET_WIDTH + PAD;
  const height = Math.max(...ys) - minY + WIDGET_HEIGHT + PAD;
  // Fit: the whole flow in view, as Studio opens a flow; never larger than 100%.
  const scale = zoom === 'fit' && room.width > 0 ? Math.min(1, (room.width - 2) / width, (room.height - 2) / height) : 1;
  const arrows = states.flatMap((state) => {
    const linked = (state.transitions ?? []).filter((t) => t.next && at.has(t.next));
    return linked.map((t, index) => html`<${Arrow} key=${`${state.name}|${t.event}|${index}`} widget=${state.name} from=${at.get(state.name)}
      to=${at.get(t.next)} next=${t.next} index=${index} count=${linked.length} event=${t.event} taken=${path?.taken.has(`${state.name}|${t.event}|${t.next}`)} />`);
  });
  return html`<div class="canvas-frame">
    <div class="zoom">
      <button type="button" name="zoom-fit" class=${zoom === 'fit' ? 'on' : ''} onClick=${() => setZoom('fit')}>Fit</button>
      <button type="button" name="zoom-100" class=${zoom === '100' ? 'on' : ''} onClick=${() => setZoom('100')}>100%</button>
    </div>
    <div class="canvas-scroll" ref=${scroller}>
      <svg class="canvas" width=${width * scale} height=${height * scale} viewBox=${`${minX} ${minY} ${width} ${height}`} data-scale=${scale}>
        <defs>
          <marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="head" /></marker>
          <marker id="head-taken" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="head-taken" /></marker>
        </defs>
        ${states.map((state) => html`<${Widget} key=${state.name} state=${state} at=${at.get(state.name)} issues=${byWidget.get(state.name) ?? []}
          visited=${path?.visited.has(state.name)} current=${path?.current === state.name} />`)}
        ${arrows}
      </svg>
    </div>
  </div>`;
}

/** The path an execution's top-level steps walked (a subflow's own steps belong to its own canvas). */
export function pathOf(steps, active) {
  const top = steps.filter((s) => !s.parent_step_sid);
  const visited = new Set();
  const taken = new Set();
  for (const step of top) {
    visited.add(step.transitioned_from);
    visited.add(step.transitioned_to);
    // A split has one `match` arrow per condition: the step's target tells which one it took.
    taken.add(`${step.transitioned_from}|${step.name}|${step.transitioned_to}`);
  }
  const last = top[top.length - 1];
  return { visited, taken, current: active && last ? last.transitioned_to : undefined };
}
