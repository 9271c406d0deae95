// The in-page panel for theme developers (dist/wiz-klaviyo.panel.js), loaded only with data-debug="panel": the script
// tag's status(), its dead letters with a Replay button, and the last events with their Klaviyo properties. Built with
// createElement and textContent (no innerHTML), styled through element.style (allowed by a strict CSP), in a shadow
// root so the theme's CSS stays out. Emails and phone numbers are masked as in the debug output.
import type { WizKlaviyo } from './client.js';
import type { DeadLetter } from './delivery/dead-letter.js';
import { maskPii, type TrackedEvent } from './report.js';
import type { Status } from './status.js';

/** What global.ts calls once this file has run: the instance, the events seen so far, and how to hear of the next. */
export type OpenPanel = (
  sdk: WizKlaviyo,
  seen: TrackedEvent[],
  watch: (listener: (event: TrackedEvent) => void) => () => void,
) => void;

/** How many tracked events the panel keeps (in this page's memory only). */
export const RING = 20;
const REFRESH_MS = 1000;

type Style = Partial<Record<keyof CSSStyleDeclaration, string>>;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  style: Style = {},
  text?: string,
  field?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  Object.assign(node.style, style);
  if (text !== undefined) node.textContent = text;
  if (field) node.dataset.field = field;
  return node;
}

const HEADING: Style = { font: '600 12px/1.4 system-ui, sans-serif', margin: '10px 0 4px' };
const MONO: Style = { font: '11px/1.4 ui-monospace, Menlo, monospace', wordBreak: 'break-all', whiteSpace: 'pre-wrap' };
const BUTTON: Style = {
  font: '12px system-ui, sans-serif',
  padding: '4px 10px',
  border: '1px solid #888',
  borderRadius: '4px',
  background: '#f4f4f4',
  color: '#111',
  cursor: 'pointer',
};
const ITEM: Style = { borderTop: '1px solid #ddd', padding: '4px 0' };

/** A value in the panel, masked and cut short so one long property cannot fill the screen. */
function shown(value: unknown, max = 400): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  text = maskPii(text ?? '');
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

const STATUS_FIELDS: (keyof Status)[] = [
  'enabled',
  'consent',
  'identified',
  'queued',
  'held',
  'deadLettered',
  'sent',
  'klaviyoApi',
  'klaviyoJs',
  'storage',
  'pausedUntil',
  'lastSuccessAt',
];

export const openPanel: OpenPanel = (sdk, seen, watch) => {
  const events = seen.slice(-RING);
  const host = el('div');
  host.id = 'wiz-klaviyo-panel';
  const root = host.attachShadow({ mode: 'open' });
  const box = el('section', {
    position: 'fixed',
    right: '8px',
    bottom: '8px',
    zIndex: '2147483647',
    width: 'min(380px, calc(100vw - 16px))',
    maxHeight: 'min(70vh, 600px)',
    overflow: 'auto',
    boxSizing: 'border-box',
    padding: '8px 12px 12px',
    background: '#fff',
    color: '#111',
    border: '1px solid #999',
    borderRadius: '8px',
    boxShadow: '0 4px 16px rgba(0,0,0,.25)',
    font: '12px/1.4 system-ui, sans-serif',
    textAlign: 'left',
  });
  box.setAttribute('aria-label', 'wiz-klaviyo panel');

  const header = el('div', { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: '8px' });
  header.append(el('strong', { fontSize: '13px' }, 'wiz-klaviyo'));
  const close = el('button', { ...BUTTON, padding: '0 8px', fontSize: '16px' }, '×');
  close.setAttribute('aria-label', 'Close the wiz-klaviyo panel');
  header.append(close);

  const statusList = el('dl', {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    gap: '0 10px',
    margin: '0',
  });
  const lastError = el('div', { ...MONO, color: '#a00' }, '', 'lastError');
  const lettersList = el('div', {}, undefined, 'deadLetters');
  const replay = el('button', BUTTON, 'Replay');
  replay.setAttribute('aria-label', 'Replay the dead letters');
  const eventList = el('div', {}, undefined, 'events');

  const lettersHeader = el('div', {
    ...HEADING,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
  });
  lettersHeader.append(el('span', {}, 'Dead letters'), replay);
  box.append(
    header,
    el('div', HEADING, 'Status'),
    statusList,
    lastError,
    lettersHeader,
    lettersList,
    el('div', HEADING, `Last events (up to ${RING}, this page)`),
    eventList,
  );
  root.append(box);
  (document.body ?? document.documentElement).append(host);

  function renderStatus(status: Status) {
    const rows: HTMLElement[] = [];
    for (const key of STATUS_FIELDS) {
      rows.push(el('dt', { color: '#555' }, key), el('dd', { margin: '0', ...MONO }, shown(status[key]), key));
    }
    statusList.replaceChildren(...rows);
    lastError.textContent = status.lastError ? shown(`${status.lastError.code}: ${status.lastError.message}`) : '';
  }

  function renderLetters(letters: DeadLetter[]) {
    replay.disabled = letters.length === 0;
    if (letters.length === 0) return lettersList.replaceChildren(el('div', { color: '#555' }, 'none'));
    lettersList.replaceChildren(
      ...letters.map(({ record, reason }) => {
        const payload = record.payload;
        const item = el('div', ITEM, undefined, 'deadLetter');
        const name = payload.kind === 'event' ? payload.metric : 'profile update';
        const id = payload.kind === 'event' ? payload.uniqueId : '';
        item.append(
          el('div', { fontWeight: '600' }, shown(name)),
          el('div', MONO, `unique_id ${id}`),
          el(
            'div',
            MONO,
            shown([reason.code, reason.status, reason.detail].filter((x) => x !== undefined).join(' · ')),
          ),
        );
        return item;
      }),
    );
  }

  function renderEvents() {
    if (events.length === 0) return eventList.replaceChildren(el('div', { color: '#555' }, 'none yet'));
    eventList.replaceChildren(
      ...events
        .slice()
        .reverse()
        .map((event) => {
          const item = el('div', ITEM, undefined, 'event');
          item.append(
            el('div', { fontWeight: '600' }, `${shown(event.metric)}${event.held ? ' (held: guest)' : ''}`),
            el('div', { ...MONO, color: '#555' }, `${event.time} · ${event.uniqueId}`),
            el('div', MONO, shown(event.properties)),
          );
          return item;
        }),
    );
  }

  let busy = false;
  async function refresh() {
    if (busy) return;
    busy = true;
    try {
      const [status, letters] = await Promise.all([sdk.status(), sdk.deadLetters.list()]);
      renderStatus(status);
      renderLetters(letters);
    } catch {
      // the panel must never break the page
    } finally {
      busy = false;
    }
  }

  const unwatch = watch((event) => {
    if (events.push(event) > RING) events.shift();
    renderEvents();
    void refresh();
  });
  const timer = setInterval(() => void refresh(), REFRESH_MS);
  replay.addEventListener('click', () => {
    replay.disabled = true;
    void sdk.deadLetters
      .replay()
      .then(() => sdk.flush())
      .catch(() => undefined)
      .then(refresh);
  });
  close.addEventListener('click', () => {
    clearInterval(timer);
    unwatch();
    host.remove();
  });
  renderEvents();
  void refresh();
};

(window as unknown as { __wizKlaviyoPanel?: OpenPanel }).__wizKlaviyoPanel = openPanel;
