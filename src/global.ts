import { bufferShopperEvents } from './autotrack/early-events.js';
import { callStash } from './call-stash.js';
import type { WizKlaviyo } from './client.js';
import type { Plugin } from './core/context.js';
import { addPlugins, contextOf, createWithPlugins, reporterOf } from './core/create.js';
import { WizKlaviyoError, type Describable } from './errors.js';
import { typeName } from './events/validate.js';
import type { OpenPanel } from './panel.js';
import { registeredPart, type FeaturesPart, type PartName, type ScriptParts } from './parts/registry.js';
import { consent } from './plugins/consent.js';
import { guestHold } from './plugins/guest-hold.js';
import { klaviyoObject } from './plugins/klaviyo-js.js';
import { warnMerchant, type Reporter, type TrackedEvent } from './report.js';
import type { WizKlaviyoOptions } from './options.js';
import { appendScript } from './script-tag.js';
import { VERSION } from './version.js';
import { callsInOrder } from './waiting-calls.js';
import { browserStorage, storageKey } from './web-storage.js';

/** What the first file has itself: the core (src/core/create.ts), consent, the guest hold and `window.klaviyo`. */
const FIRST_FILE_PLUGINS = [consent, guestHold, klaviyoObject] as const;

/**
 * How the global gets the script tag's later files: the sender (fetched at once) and the features (fetched when the
 * page is idle, or at the first call that needs them). Each resolves with what the file registered, or undefined
 * when it could not be loaded. Tests hand in the bundled parts.
 */
export type PartLoader = <N extends PartName>(name: N) => Promise<ScriptParts[N] | undefined>;

/** Where the page is watched from, and where the debug files are (none: no debug sentences, no panel). */
export interface PageSetup {
  /** Auto-tracking of the markup contract (`data-autotrack`). @default true */
  watchPage?: boolean;
  /** URL of dist/wiz-klaviyo.debug.js, the sentences `data-debug` loads; none: codes and details only. */
  debugScript?: string;
  /** URL of dist/wiz-klaviyo.panel.js, the in-page panel `data-debug="panel"` loads; none: no panel. */
  panelScript?: string;
  /** Integrity hashes the debug files must match, by file name (src/parts/integrity.ts); none: not checked. */
  integrity?: Readonly<Record<string, string>>;
}

/** A call queued on the stub before the script loaded: `['track', 'Viewed Product', {...}]`. */
export type QueuedCall = [method: string, ...args: unknown[]];

/** The global `wizKlaviyo` once the script tag has loaded. */
export interface WizKlaviyoGlobal extends WizKlaviyo {
  /** Runs a queued-style call, e.g. `push(['track', 'Searched Site', { SearchTerm: 'shirt' }])`. */
  push(call: QueuedCall): unknown;
  /** Another tenant on the same page, fully isolated from this one; destroy() on the global ends it too. */
  createInstance(options: WizKlaviyoOptions): WizKlaviyo;
  readonly loaded: true;
  /** The SDK's version, e.g. "0.1.0". */
  readonly version: string;
}

/** Reads the script tag's data-* attributes into options (README "Script tag"). */
export function optionsFromScript(script: Element | null): WizKlaviyoOptions {
  const data = (name: string) => script?.getAttribute(`data-${name}`) ?? undefined;
  const flag = (name: string) => {
    const value = data(name);
    return value === undefined ? undefined : value !== 'false';
  };
  return {
    siteKey: data('site-key') ?? '',
    tenant: data('tenant'),
    endpoint: data('endpoint'),
    revision: data('revision'),
    enabled: flag('enabled'),
    debug: flag('debug'),
    consent: data('consent') === 'pending' ? 'pending' : undefined,
    respectGpc: flag('respect-gpc'),
    onsite: flag('onsite'),
    onsiteHost: data('onsite-host'),
    guestEvents: data('guest-events') === 'send' ? 'send' : undefined,
    // The nonce attribute is hidden from getAttribute once the page has loaded; the property keeps it.
    nonce: (script as HTMLScriptElement | null)?.nonce || script?.getAttribute('nonce') || undefined,
  };
}

/** Tenants the script tag has started on this page, so a second copy of the script for one of them is a no-op. */
interface Installed {
  __wizTenants?: string[];
}

/**
 * Replaces the stub array `window.wizKlaviyo` with the live global and replays the calls queued on it, in order.
 * A second copy of the script for the same tenant reuses the first; for another tenant it adds an instance.
 */
export function installGlobal(
  target: { wizKlaviyo?: unknown },
  options: WizKlaviyoOptions,
  loadPart: PartLoader,
  { watchPage = true, debugScript, panelScript, integrity }: PageSetup = {},
): WizKlaviyoGlobal {
  const existing = target.wizKlaviyo as (Partial<WizKlaviyoGlobal> & Installed) | undefined;
  const tenant = String(options.tenant ?? options.siteKey ?? '').trim();
  if (existing && existing.loaded === true) {
    const tenants = (existing.__wizTenants ??= []);
    if (options.siteKey && !tenants.includes(tenant)) {
      // window.wizKlaviyo stays the first tag's store; this one runs as an extra instance (see createInstance).
      warnMerchant(
        "a second script tag with another key runs as an extra instance; window.wizKlaviyo is the first tag's.",
      );
      tenants.push(tenant);
      existing.createInstance?.(options);
    }
    return existing as WizKlaviyoGlobal;
  }
  const queued = Array.isArray(existing) ? (existing as unknown[]) : [];
  const sender = loadPart('sender');
  let wantFeatures!: () => void;
  const features = new Promise<void>((resolve) => (wantFeatures = resolve)).then(() => loadPart('features'));
  whenIdle(() => wantFeatures());
  // Shopper events before auto-tracking's code is here are kept for it (a quick add-to-cart click).
  const earlier = watchPage && typeof document !== 'undefined' ? bufferShopperEvents(window, document) : undefined;
  const sentences = debugSentences(debugScript, options.nonce, integrity);
  /**
   * An instance of the first file's plugins, whose calls wait in order for the features while their file is on the
   * way; the features join it when it has run. In debug mode the English sentences are fetched for it.
   */
  const make = (given: WizKlaviyoOptions, first: boolean): { calls: WizKlaviyo; reporter?: Reporter } => {
    const made = createWithPlugins(given, FIRST_FILE_PLUGINS, sender, first ? 'attributes' : 'options');
    const reporter = reporterOf(made);
    if (given?.debug === true) void sentences().then((describe) => describe && reporter?.describeWith(describe));
    const arrival = features.then((part) => {
      if (part) addPlugins(made, laterPlugins(part, first && watchPage, earlier));
      else if (first) earlier?.(); // stop keeping shopper events: nothing will read them
      return part !== undefined;
    });
    const ctx = contextOf(made);
    const tenant = ctx?.options.tenant;
    const stash = tenant
      ? callStash(globalThis.window, browserStorage('localStorage'), storageKey(tenant, 'calls'))
      : undefined;
    const calls = callsInOrder(made as WizKlaviyo, arrival, wantFeatures, reporter, stash, ctx?.platform);
    return { calls, reporter };
  };
  const { calls: instance, reporter } = make(options, true);
  // The methods a queued call may name: the instance's own, so the stub's list is the instance's definition.
  const callable = new Set(
    Object.keys(instance).filter((key) => typeof instance[key as keyof WizKlaviyo] === 'function'),
  );
  // Instances made by createInstance(), also for a second script tag: destroy() ends them too.
  const others: WizKlaviyo[] = [];
  const global: WizKlaviyoGlobal & Installed = {
    ...instance,
    __wizTenants: [tenant],
    destroy() {
      earlier?.(); // stop keeping shopper events for auto-tracking that will not start
      instance.destroy();
      for (const other of others.splice(0)) other.destroy();
    },
    loaded: true,
    version: VERSION,
    createInstance(more) {
      const other = make(more, false).calls;
      others.push(other);
      return other;
    },
    push: (call) => runCall(global, callable, call, reporter),
  };
  target.wizKlaviyo = global;
  if (panelScript && reporter && typeof document !== 'undefined') {
    // Events are watched from the start, so the panel lists those tracked while its file was loading.
    const seen: TrackedEvent[] = [];
    const stop = reporter.watch((event) => void (seen.push(event) > 20 && seen.shift()));
    void appendScript(
      document,
      panelScript,
      options.nonce,
      () => {
        stop();
        (globalThis as { __wizKlaviyoPanel?: OpenPanel }).__wizKlaviyoPanel?.(global, seen, reporter.watch);
      },
      hashOf(integrity, panelScript),
    );
  }
  for (const call of queued) runCall(global, callable, call as QueuedCall, reporter);
  return global;
}

function runCall(instance: WizKlaviyo, callable: Set<string>, call: QueuedCall, reporter?: Reporter): unknown {
  if (!Array.isArray(call) || typeof call[0] !== 'string' || !callable.has(call[0])) {
    // Told to onError (and the console in debug mode) without the call's arguments, which may carry an email.
    const method = Array.isArray(call) && typeof call[0] === 'string' ? `"${call[0].slice(0, 40)}"` : typeName(call);
    reporter?.error(new WizKlaviyoError('invalid_call', { got: method }));
    return undefined;
  }
  const [method, ...args] = call;
  try {
    return (instance[method as keyof WizKlaviyo] as (...a: unknown[]) => unknown)(...args);
  } catch {
    return undefined;
  }
}

/** The plugins of the features file, with auto-tracking for the script tag's own instance. */
function laterPlugins(part: FeaturesPart, watchPage: boolean, earlier?: () => Event[]): readonly Plugin[] {
  return watchPage ? [...part.plugins, part.autotrack({}, earlier)] : part.plugins;
}

/** Runs `work` once the page is idle (or after 2 s at the latest), where the browser can say; otherwise soon. */
function whenIdle(work: () => void): void {
  const idle = (globalThis as { requestIdleCallback?: (run: () => void, options: { timeout: number }) => void })
    .requestIdleCallback;
  if (idle) idle(work, { timeout: 2000 });
  else setTimeout(work, 1);
}

/** The hash `integrity` holds for the file at `url` (by its name), if any. */
const hashOf = (integrity: Readonly<Record<string, string>> | undefined, url: string) =>
  integrity?.[url.slice(url.lastIndexOf('/') + 1)];

/**
 * The script tag's later files, fetched from next to its own file (with the page's nonce) once each, shared by every
 * instance on the page; each resolves with what the file registered, or undefined when it could not be loaded (or did
 * not match its hash in `integrity`).
 */
export function partsNextTo(
  src: string | undefined,
  nonce: string | undefined,
  integrity?: Readonly<Record<string, string>>,
): PartLoader {
  const loading = new Map<PartName, Promise<unknown>>();
  const read = (name: PartName) => registeredPart(name);
  return <N extends PartName>(name: N) => {
    let part = loading.get(name);
    if (!part) {
      const url = src && new URL(`wiz-klaviyo.${name}.js`, src).href;
      part =
        read(name) || !url || typeof document === 'undefined'
          ? Promise.resolve(read(name))
          : appendScript(document, url, nonce, (loaded) => loaded, hashOf(integrity, url))
              // A page whose Trusted Types allow no policy of ours refuses the script tag; import() is no such sink.
              // import() cannot check a hash: where one is asked for, an unchecked file is not run.
              .then((loaded) => (loaded || integrity ? undefined : import(url).catch(() => undefined)))
              .then(() => read(name));
      loading.set(name, part);
    }
    return part as Promise<ScriptParts[N] | undefined>;
  };
}

type Describe = (error: Describable) => string;

/**
 * The English sentences live in their own file, fetched only for an instance in debug mode (once per page, with the
 * page's nonce): a storefront's script tag ships codes and details. Until it has run, or if it cannot be loaded,
 * debug lines show the code and a summary of the details.
 */
function debugSentences(
  src: string | undefined,
  nonce: string | undefined,
  integrity: Readonly<Record<string, string>> | undefined,
): () => Promise<Describe | undefined> {
  let loading: Promise<Describe | undefined> | undefined;
  const read = () => (globalThis as { __wizKlaviyoDescribe?: Describe }).__wizKlaviyoDescribe;
  return () =>
    (loading ??=
      read() || !src || typeof document === 'undefined'
        ? Promise.resolve(read())
        : appendScript(document, src, nonce, () => read(), hashOf(integrity, src)));
}
