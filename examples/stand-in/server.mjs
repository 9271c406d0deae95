// A local stand-in for Klaviyo's client API (POST /client/events, /client/profiles) for the demo and for
// real-browser tests: it validates like Klaviyo, deduplicates like Klaviyo, records everything it received,
// and can be told to fail (500, 429, dropped connections) so retry logic can be exercised.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkPhoneNumber, validateEventBody, validateProfileBody, profileIdentity } from './validate.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const JSON_API = 'application/vnd.api+json';
const MAX_BODY_BYTES = 5 * 1024 * 1024; // Klaviyo's payload limit
const FAULT_MODES = ['ok', '500', '429', 'drop', 'drop-after-read'];

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

const API_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Retry-After',
};

/**
 * Starts the stand-in. `staticRoutes` maps URL prefixes to directories (longest prefix wins). `spaRoutes` does the
 * same for single-page apps: a path under the prefix that matches no file and has no extension gets the directory's
 * index.html (the history fallback), so deep links like /spa/product/p1 load the app.
 * @returns {Promise<{ url: string, port: number, close(): Promise<void>, state(): object, reset(): void,
 *   setFault(fault: { mode: string, count?: number, retryAfter?: number }): object }>}
 */
export async function startStandIn({
  port = 0,
  host = '127.0.0.1',
  staticRoutes = {},
  spaRoutes = {},
  log = false,
} = {}) {
  const store = createStore();
  const routes = [
    ...Object.entries(staticRoutes).map(([prefix, dir]) => ({ prefix, root: path.resolve(dir), spa: false })),
    ...Object.entries(spaRoutes).map(([prefix, dir]) => ({ prefix, root: path.resolve(dir), spa: true })),
  ].sort((a, b) => b.prefix.length - a.prefix.length);

  const server = http.createServer((req, res) => {
    // No keep-alive: a browser silently re-sends a POST whose reused connection was dropped, which would hide
    // the "drop" faults from the code under test. A fresh connection per request keeps drops visible.
    res.setHeader('Connection', 'close');
    handle(req, res).catch((error) => {
      if (log) console.error('stand-in: handler failed', error);
      if (!res.headersSent) sendJson(res, 500, { error: String(error) });
      else res.destroy();
    });
  });

  async function handle(req, res) {
    const url = new URL(req.url, 'http://stand-in.local');
    // Also play the shop's first-party proxy (README: nginx `location /klaviyo/`), which forwards the rest unchanged.
    if (url.pathname.startsWith('/klaviyo/client/')) url.pathname = url.pathname.slice('/klaviyo'.length);
    const route = url.pathname;

    if (req.method === 'OPTIONS') return preflight(res);
    if (route === '/client/events' || route === '/client/profiles') return api(req, res, url);
    if (route.startsWith('/client/')) return sendError(res, 404, 'not_found', 'Not found.', `No route ${route}.`);
    if (route === '/__stand-in' || route === '/__stand-in/' || route === '/__stand-in/live') {
      return sendFile(res, path.join(HERE, 'live', 'live.html'));
    }
    if (route === '/__stand-in/live.js') return sendFile(res, path.join(HERE, 'live', 'live.js'));
    if (route === '/__stand-in/state' && req.method === 'GET') return sendJson(res, 200, store.snapshot());
    if (route === '/__stand-in/reset' && req.method === 'POST') {
      store.reset();
      return sendJson(res, 200, { fault: store.fault() });
    }
    if (route === '/__stand-in/fault' && req.method === 'POST') return faultRoute(req, res);
    if (route === '/__stand-in/refuse-phone' && req.method === 'POST') return refusePhoneRoute(req, res);
    const onsite = /^\/onsite\/js\/(?:([^/]+)\/)?klaviyo\.js$/.exec(route);
    if (onsite && req.method === 'GET') return fakeKlaviyoJs(res, onsite[1] ?? url.searchParams.get('company_id'));
    if (req.method === 'GET' || req.method === 'HEAD') return serveStatic(req, res, routes);
    return sendText(res, 405, 'Method not allowed');
  }

  async function faultRoute(req, res) {
    let fault;
    try {
      fault = store.setFault(JSON.parse((await readBody(req)).toString('utf8') || '{}'));
    } catch (error) {
      return sendJson(res, 400, { error: error.message });
    }
    if (log) console.log(`fault: ${JSON.stringify(fault)}`);
    return sendJson(res, 200, { fault });
  }

  // `{"phone":"+15005550009"}` makes the API refuse that number from now on, as Klaviyo refuses a number that is no
  // real line; `{"phone":"…","refuse":false}` accepts it again. The live page and the demo use it.
  async function refusePhoneRoute(req, res) {
    let input;
    try {
      input = JSON.parse((await readBody(req)).toString('utf8') || '{}');
    } catch (error) {
      return sendJson(res, 400, { error: error.message });
    }
    if (typeof input?.phone !== 'string' || !/^\+[1-9]\d{6,14}$/.test(input.phone)) {
      return sendJson(res, 400, { error: 'phone must be an E.164 number such as +15005550009' });
    }
    store.refusePhone(input.phone, input.refuse !== false);
    if (log) console.log(`refused phones: ${JSON.stringify(store.snapshot().refusedPhones)}`);
    return sendJson(res, 200, { refusedPhones: store.snapshot().refusedPhones });
  }

  // One POST to /client/events or /client/profiles: fault first (it models the network or Klaviyo's front door),
  // then the same checks Klaviyo makes, in the same order.
  async function api(req, res, url) {
    const kind = url.pathname === '/client/events' ? 'event' : 'profile';
    const companyId = url.searchParams.get('company_id');
    const request = { path: url.pathname, companyId, status: 0, body: null, receivedAt: new Date().toISOString() };
    store.requests.push(request);
    const done = (status, summary = {}) => {
      request.status = status;
      if (log) logLine(req.method, url.pathname, status, summary);
    };

    if (req.method !== 'POST') {
      done(405);
      return sendError(res, 405, 'method_not_allowed', 'Method not allowed.', `Use POST for ${url.pathname}.`);
    }

    const fault = store.takeFault();
    if (fault.mode === 'drop') {
      done(0);
      return req.socket.destroy();
    }

    let raw;
    try {
      raw = await readBody(req);
    } catch {
      done(413);
      return sendError(res, 413, 'too_large', 'Request too large.', 'The payload must not exceed 5 MB.');
    }
    const text = raw.toString('utf8');
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    request.body = body === undefined ? text : body;
    const summary = summarize(body);

    if (fault.mode === '500') {
      done(500, summary);
      return sendError(res, 500, 'error', 'A server error occurred.', 'Injected fault: 500.');
    }
    if (fault.mode === '429') {
      done(429, summary);
      res.setHeader('Retry-After', String(fault.retryAfter));
      const detail = `Request was throttled. Expected available in ${fault.retryAfter} second(s).`;
      return sendError(res, 429, 'throttled', 'Request was throttled.', detail);
    }

    // Processed as usual; with drop-after-read the client never hears back even though the server stored it,
    // exactly the case unique_id deduplication exists for.
    const problem = checkRequest(req, companyId, body, kind, store.refusedPhones);
    if (!problem) {
      if (kind === 'event') store.addEvent(companyId, body.data.attributes);
      else store.upsertProfile(companyId, body.data.attributes, 'profiles');
    }
    if (fault.mode === 'drop-after-read') {
      done(0, summary);
      return req.socket.destroy();
    }
    if (problem) {
      done(problem.status, summary);
      return sendError(res, problem.status, problem.code, problem.title, problem.detail, problem.source);
    }
    done(202, summary);
    res.writeHead(202, API_HEADERS);
    res.end();
  }

  function logLine(method, route, status, { metric, identity }) {
    const parts = [method, route, status === 0 ? 'dropped' : status];
    if (metric) parts.push(JSON.stringify(metric));
    if (identity) parts.push(identity);
    console.log(parts.join(' '));
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = server.address().port;
  const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    state: () => store.snapshot(),
    reset: () => store.reset(),
    setFault: (fault) => store.setFault(fault),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// What the stand-in has received. Events are deduplicated and profiles upserted the way Klaviyo does it, keyed by
// company, profile identity (first of email, phone_number, external_id, _kx, anonymous_id), metric and unique_id.

function createStore() {
  let requests, events, profiles, duplicates, seenEvents, profileIndex, fault;
  const refusedPhones = new Set();

  function reset() {
    refusedPhones.clear();
    requests = [];
    events = [];
    profiles = [];
    duplicates = 0;
    seenEvents = new Set();
    profileIndex = new Map();
    fault = { mode: 'ok', remaining: null, retryAfter: 1 };
  }
  reset();

  function setFault(input) {
    const { mode, count, retryAfter } = input ?? {};
    if (!FAULT_MODES.includes(mode)) throw new Error(`mode must be one of ${FAULT_MODES.join(', ')}`);
    if (count != null && !(Number.isInteger(count) && count > 0)) throw new Error('count must be a positive integer');
    if (retryAfter != null && !(Number.isFinite(retryAfter) && retryAfter >= 0)) {
      throw new Error('retryAfter must be a number of seconds');
    }
    fault = { mode, remaining: mode === 'ok' ? null : (count ?? null), retryAfter: retryAfter ?? 1 };
    return publicFault();
  }

  // The fault that applies to this API request; a counted fault wears off by itself.
  function takeFault() {
    const current = { ...fault };
    if (fault.remaining != null && --fault.remaining <= 0) fault = { mode: 'ok', remaining: null, retryAfter: 1 };
    return current;
  }

  function publicFault() {
    return { mode: fault.mode, count: fault.remaining, retryAfter: fault.retryAfter };
  }

  function upsertProfile(companyId, attributes, source) {
    const identity = profileIdentity(attributes);
    const key = `${companyId}\n${identity}`;
    const now = new Date().toISOString();
    const { meta: _meta, ...incoming } = attributes; // patch operations are not profile data
    let profile = profileIndex.get(key);
    if (!profile) {
      profile = {
        companyId,
        identity,
        attributes: {},
        sources: [],
        receivedAt: now,
        updatedAt: now,
        identifiedAt: null,
        duplicates: [],
      };
      profileIndex.set(key, profile);
      profiles.push(profile);
    }
    profile.attributes = mergeAttributes(profile.attributes, incoming);
    if (!profile.sources.includes(source)) profile.sources.push(source);
    // The first profile update (POST /client/profiles) is where a shop tells Klaviyo who the shopper is.
    if (source === 'profiles' && profile.identifiedAt === null) profile.identifiedAt = now;
    profile.updatedAt = now;
    return profile;
  }

  function addEvent(companyId, attributes) {
    const profileAttributes = attributes.profile.data.attributes;
    const identity = profileIdentity(profileAttributes);
    const metric = attributes.metric.data.attributes.name;
    const receivedAt = new Date();
    // Without a unique_id Klaviyo falls back to the event time, to the second.
    const when = attributes.time ? new Date(attributes.time) : receivedAt;
    const uniqueKey = attributes.unique_id ?? `time:${Math.floor(when.getTime() / 1000)}`;
    const key = JSON.stringify([companyId, identity, metric, uniqueKey]);
    const profile = upsertProfile(companyId, profileAttributes, 'events');
    if (seenEvents.has(key)) {
      // Kept out, as Klaviyo does; recorded on the profile so the live page can show what was dropped.
      duplicates += 1;
      profile.duplicates.push({
        metric,
        uniqueId: attributes.unique_id ?? null,
        time: attributes.time ?? null,
        receivedAt: receivedAt.toISOString(),
      });
      return false;
    }
    seenEvents.add(key);
    events.push({
      companyId,
      identity,
      metric,
      uniqueId: attributes.unique_id ?? null,
      profile: profileAttributes,
      properties: attributes.properties,
      time: attributes.time ?? null,
      value: attributes.value ?? null,
      valueCurrency: attributes.value_currency ?? null,
      backfill: attributes.backfill ?? false,
      receivedAt: receivedAt.toISOString(),
    });
    return true;
  }

  return {
    get requests() {
      return requests;
    },
    refusedPhones,
    refusePhone: (phone, refuse) => (refuse ? refusedPhones.add(phone) : refusedPhones.delete(phone)),
    reset,
    setFault,
    takeFault,
    fault: publicFault,
    addEvent,
    upsertProfile,
    // A deep copy, so callers cannot change what was recorded.
    snapshot: () =>
      structuredClone({
        requests,
        events,
        profiles,
        duplicates,
        fault: publicFault(),
        refusedPhones: [...refusedPhones],
      }),
  };
}

// Later values win; `properties` and `location` merge one level down, as a profile update does.
function mergeAttributes(existing, incoming) {
  const merged = { ...existing };
  for (const [key, value] of Object.entries(incoming)) {
    const nested = (key === 'properties' || key === 'location') && isObject(value) && isObject(existing[key]);
    merged[key] = nested ? { ...existing[key], ...value } : value;
  }
  return merged;
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Request checks and responses.

function checkRequest(req, companyId, body, kind, refusedPhones) {
  if (!companyId) {
    return invalid('company_id is required.', { parameter: 'company_id' });
  }
  const revision = req.headers.revision;
  if (!revision || !/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/.test(revision)) {
    return invalid('A revision header (e.g. 2026-07-15) is required.', { header: 'revision' });
  }
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType !== JSON_API) {
    return {
      status: 415,
      code: 'unsupported_media_type',
      title: 'Unsupported media type.',
      detail: `Content-Type must be ${JSON_API}; got ${mediaType || 'none'}.`,
      source: { header: 'content-type' },
    };
  }
  if (body === undefined) return invalid('The request body is not valid JSON.', { pointer: '/' });
  const result = kind === 'event' ? validateEventBody(body) : validateProfileBody(body);
  const checked = result.ok ? checkPhoneNumber(kind, body, refusedPhones) : result;
  if (!checked.ok) {
    const [first] = checked.errors;
    return invalid(first.detail, { pointer: first.pointer });
  }
  return null;
}

function invalid(detail, source) {
  return { status: 400, code: 'invalid', title: 'Invalid input.', detail, source };
}

// Klaviyo's JSON:API error shape.
function sendError(res, status, code, title, detail, source = { pointer: '/data/' }) {
  const body = JSON.stringify({ errors: [{ id: randomUUID(), status, code, title, detail, source }] });
  res.writeHead(status, { ...API_HEADERS, 'Content-Type': JSON_API });
  res.end(body);
}

function preflight(res) {
  res.writeHead(204, {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
    'Access-Control-Allow-Headers': 'content-type, revision',
    'Access-Control-Max-Age': '600',
  });
  res.end();
}

function summarize(body) {
  const attributes = body?.data?.attributes;
  const profile = body?.data?.type === 'event' ? attributes?.profile?.data?.attributes : attributes;
  return { metric: attributes?.metric?.data?.attributes?.name, identity: profileIdentity(profile) };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    const collect = (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return chunks.push(chunk);
      // Stop keeping it but let it drain, so a 413 can still be answered on this connection.
      req.off('data', collect);
      req.resume();
      reject(new Error('body too large'));
    };
    req.on('data', collect);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res, status, value) {
  res.writeHead(status, {
    ...API_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(JSON.stringify(value));
}

function sendText(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

// ---------------------------------------------------------------------------------------------------------------
// A fake klaviyo.js that behaves like the real one towards the page: it handles what was queued on `_klOnsite`, then
// replaces `_klOnsite.push` so later calls are handled at once, answers each call through its trailing callback (which
// resolves the Promise of Klaviyo's `window.klaviyo` proxy), and installs its own `window.klaviyo` only where the page
// has none. https://developers.klaviyo.com/en/docs/introduction_to_the_klaviyo_object
// It keeps the visitor in Klaviyo's first-party cookie `__kla_id` (URI-encoded base64 JSON):
//   identify({ email })   sets `$email` and an `$exchange_id`, answers the visitor
//   isIdentified()        answers whether the cookie has an `$exchange_id` or `$email`
//   account(key?)         sets the account when given a key, answers it
//   others                answer true
// To play a visitor Klaviyo already knows (a form signup, an email click): open any page with `?kla_identified=1`
// (the cookie gets `$exchange_id` "stand-in-kx.identified"), or call `__fakeKlaviyoJs.submitForm(email)`, which
// identifies like a Klaviyo signup form and dispatches its `klaviyoForms` submit event:
// https://developers.klaviyo.com/en/docs/track_klaviyo_form_activity_using_javascript
// Every call is recorded, callbacks included, in `window.__fakeKlaviyoJs.calls`.

function fakeKlaviyoJs(res, key) {
  // The key ends up inside JavaScript, so only the characters a site key can have are accepted.
  if (!key || !/^[A-Za-z0-9_-]{1,64}$/.test(key)) return sendText(res, 400, 'Invalid company id');
  const source = `// Fake klaviyo.js served by the wiz-klaviyo stand-in.
(function () {
  var COOKIE = '__kla_id';
  var state = { key: ${JSON.stringify(key)}, calls: [], submitForm: submitForm };
  var answers = {
    identify: function (props) {
      var visitor = readVisitor();
      var email = props && (props.email || props.$email);
      if (email) {
        visitor.$email = email;
        visitor.$exchange_id = 'stand-in-kx.' + email;
      }
      writeVisitor(visitor);
      return visitor;
    },
    isIdentified: function () {
      var visitor = readVisitor();
      return Boolean(visitor.$exchange_id || visitor.$email);
    },
    account: function (next) {
      if (typeof next === 'string') state.key = next;
      return state.key;
    }
  };

  function handle(call) {
    state.calls.push(call);
    if (!Array.isArray(call) || typeof call[0] !== 'string') return;
    var args = call.slice(1);
    var callback = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
    var answer = answers[call[0]] ? answers[call[0]].apply(null, args) : true;
    if (callback) callback(answer);
  }

  function readVisitor() {
    if (typeof document === 'undefined') return {};
    var match = /(?:^|;\\s*)__kla_id=([^;]*)/.exec(document.cookie);
    try {
      return (match && JSON.parse(atob(decodeURIComponent(match[1])))) || {};
    } catch (error) {
      return {};
    }
  }

  function writeVisitor(visitor) {
    if (typeof document === 'undefined') return;
    document.cookie = COOKIE + '=' + encodeURIComponent(btoa(JSON.stringify(visitor))) + '; path=/; SameSite=Lax';
  }

  function submitForm(email) {
    handle(['identify', { $email: email }]);
    var detail = { type: 'submit', formId: 'STANDIN', companyId: state.key, metaData: { $email: email } };
    window.dispatchEvent(new CustomEvent('klaviyoForms', { detail: detail }));
  }

  if (typeof location !== 'undefined' && /[?&]kla_identified=1(&|$)/.test(location.search)) {
    var known = readVisitor();
    known.$exchange_id = 'stand-in-kx.identified';
    writeVisitor(known);
  }

  window.__fakeKlaviyoJs = state;
  var queue = window._klOnsite;
  if (!queue || typeof queue.push !== 'function') queue = window._klOnsite = [];
  var queued = Array.isArray(queue) ? queue.splice(0) : [];
  queue.push = function () {
    for (var i = 0; i < arguments.length; i++) handle(arguments[i]);
    return state.calls.length;
  };
  for (var i = 0; i < queued.length; i++) handle(queued[i]);

  if (!window.klaviyo) {
    window.klaviyo = new Proxy({}, {
      get: function (target, name) {
        if (name === 'push') return queue.push;
        return function () {
          var args = Array.prototype.slice.call(arguments);
          var callback = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
          return new Promise(function (resolve) {
            handle([name].concat(args, [function (answer) {
              if (callback) callback(answer);
              resolve(answer);
            }]));
          });
        };
      }
    });
  }
})();
`;
  res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(source);
}

// ---------------------------------------------------------------------------------------------------------------
// Static files.

async function serveStatic(req, res, routes) {
  const rawPath = req.url.split('?')[0];
  // "/spa" for a route mounted at "/spa/": redirect, so the app's URLs resolve as under the prefix.
  if (routes.some(({ prefix }) => prefix === `${rawPath}/`)) {
    res.writeHead(301, { Location: `${rawPath}/${req.url.slice(rawPath.length)}` });
    return res.end();
  }
  const match = routes.find(({ prefix }) => rawPath.startsWith(prefix));
  if (!match) return sendText(res, 404, 'Not found');
  const { prefix, root, spa } = match;

  let relative;
  try {
    relative = decodeURIComponent(rawPath.slice(prefix.length));
  } catch {
    return sendText(res, 400, 'Bad path');
  }
  // Refuse any ".." segment (also an encoded one) and anything that would resolve outside the root.
  const segments = relative.split(/[\\/]/);
  const file = path.resolve(root, ...segments.filter(Boolean));
  if (segments.includes('..') || relative.includes('\0') || (file !== root && !file.startsWith(root + path.sep))) {
    return sendText(res, 403, 'Forbidden');
  }
  // History fallback: a client-side route (no file, no extension) gets the app's index.html; a missing asset
  // (app.js, logo.svg) still answers 404.
  if (spa && path.extname(file) === '' && !(await exists(file)))
    return sendFile(res, path.join(root, 'index.html'), req);
  return sendFile(res, file, req);
}

async function exists(file) {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** Set by the command line only (see realKlaviyoRewrite); tests never rewrite pages. */
let rewriteHtml;

async function sendFile(res, file, req) {
  let info;
  try {
    info = await stat(file);
  } catch {
    return sendText(res, 404, 'Not found');
  }
  if (info.isDirectory()) {
    // Relative links in index.html only work when the directory URL ends with a slash.
    if (req && !req.url.split('?')[0].endsWith('/')) {
      res.writeHead(301, { Location: `${req.url.split('?')[0]}/` });
      return res.end();
    }
    return sendFile(res, path.join(file, 'index.html'));
  }
  let data = await readFile(file);
  if (rewriteHtml && path.extname(file).toLowerCase() === '.html')
    data = Buffer.from(rewriteHtml(data.toString('utf8')));
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': data.length, 'Cache-Control': 'no-store' });
  res.end(req?.method === 'HEAD' ? undefined : data);
}

// ---------------------------------------------------------------------------------------------------------------
// `node examples/stand-in/server.mjs [--port 8787]`: the demo for `npm start`.

function portFromArgs(argv) {
  const index = argv.indexOf('--port');
  if (index !== -1) return Number(argv[index + 1]);
  const inline = argv.find((arg) => arg.startsWith('--port='));
  if (inline) return Number(inline.slice('--port='.length));
  return Number(process.env.PORT || 8787);
}

/**
 * `KLAVIYO_SITE_KEY=XXXXXX npm start`: the example pages use that real public key and talk to Klaviyo itself
 * (a.klaviyo.com, static.klaviyo.com) instead of this stand-in.
 */
function realKlaviyoRewrite(siteKey) {
  if (!siteKey) return undefined;
  if (!/^[A-Za-z0-9]{6}$/.test(siteKey)) {
    console.error('KLAVIYO_SITE_KEY must be a public site key (6 letters or digits), never a private pk_ key.');
    process.exit(1);
  }
  return (html) =>
    html
      .replaceAll('data-site-key="AbC123"', `data-site-key="${siteKey}"`)
      .replaceAll(' data-endpoint="/"', '')
      .replaceAll(' data-onsite-host="/"', '');
}

/** Starts on `port`, or, when it is taken, on the next free one, saying so in one line. */
async function startOnFreePort(port, options) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await startStandIn({ ...options, port: port + attempt });
    } catch (error) {
      if (error?.code !== 'EADDRINUSE' || attempt >= 20) throw error;
      console.log(`Port ${port + attempt} is busy; trying ${port + attempt + 1} (set PORT=… to choose one).`);
    }
  }
}

async function main() {
  const repo = path.resolve(HERE, '..', '..');
  rewriteHtml = realKlaviyoRewrite(process.env.KLAVIYO_SITE_KEY);
  const standIn = await startOnFreePort(portFromArgs(process.argv.slice(2)), {
    staticRoutes: {
      '/dist/': path.join(repo, 'dist'),
      '/store/': path.join(repo, 'examples', 'storefront'),
      '/': path.join(repo, 'examples', 'demo'),
    },
    spaRoutes: { '/spa/': path.join(repo, 'examples', 'spa') },
    log: true,
  });
  console.log(`Klaviyo stand-in listening on ${standIn.url}`);
  console.log(`  demo page:        ${standIn.url}/`);
  console.log(`  storefront (MPA): ${standIn.url}/store/`);
  console.log(`  storefront (SPA): ${standIn.url}/spa/`);
  console.log(`  live page:        ${standIn.url}/__stand-in/`);
  if (rewriteHtml) console.log('  KLAVIYO_SITE_KEY is set: the pages send to Klaviyo itself, not to this stand-in.');
  try {
    await stat(path.join(repo, 'dist', 'wiz-klaviyo.iife.js'));
  } catch {
    console.log('  note: dist/wiz-klaviyo.iife.js is missing; build the SDK first or the demo runs without it.');
  }
  const stop = () => standIn.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
