import { autotrack } from './autotrack/index.js';
import type { WizKlaviyo } from './client.js';
import { createWithPlugins, reporterOf } from './core/create.js';
import { WizKlaviyoError } from './errors.js';
import { typeName } from './events/validate.js';
import type { OpenPanel } from './panel.js';
import { warnMerchant, type Reporter, type TrackedEvent } from './report.js';
import type { WizKlaviyoOptions } from './options.js';
import { allFeatures } from './plugins/all.js';
import { appendScript } from './script-tag.js';
import { VERSION } from './version.js';

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
  watchPage = true,
  /** URL of dist/wiz-klaviyo.debug.js, the sentences `data-debug` loads; none: codes and details only. */
  debugScript?: string,
  /** URL of dist/wiz-klaviyo.panel.js, the in-page panel `data-debug="panel"` loads; none: no panel. */
  panelScript?: string,
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
  // Auto-tracking asks the instance's gate itself: a switched-off or opted-out tenant does not even remember the cart.
  const instance: WizKlaviyo = createWithPlugins(
    options,
    watchPage ? [...allFeatures, autotrack()] : allFeatures,
    'attributes',
  );
  const reporter = reporterOf(instance);
  const sentences = debugSentences(debugScript, options.nonce);
  const describeIfDebug = (made: WizKlaviyo, given: WizKlaviyoOptions) => {
    if (given?.debug === true)
      void sentences().then((describe) => describe && reporterOf(made)?.describeWith(describe));
  };
  describeIfDebug(instance, options);
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
      instance.destroy();
      for (const other of others.splice(0)) other.destroy();
    },
    loaded: true,
    version: VERSION,
    createInstance(more) {
      const other: WizKlaviyo = createWithPlugins(more, allFeatures);
      describeIfDebug(other, more);
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
    void appendScript(document, panelScript, options.nonce, () => {
      stop();
      (globalThis as { __wizKlaviyoPanel?: OpenPanel }).__wizKlaviyoPanel?.(global, seen, reporter.watch);
    });
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

type Describe = (error: WizKlaviyoError) => string;

/**
 * The English sentences live in their own file, fetched only for an instance in debug mode (once per page, with the
 * page's nonce): a storefront's script tag ships codes and details. Until it has run, or if it cannot be loaded,
 * debug lines show the code and a summary of the details.
 */
function debugSentences(src: string | undefined, nonce: string | undefined): () => Promise<Describe | undefined> {
  let loading: Promise<Describe | undefined> | undefined;
  const read = () => (globalThis as { __wizKlaviyoDescribe?: Describe }).__wizKlaviyoDescribe;
  return () =>
    (loading ??=
      read() || !src || typeof document === 'undefined'
        ? Promise.resolve(read())
        : appendScript(document, src, nonce, () => read()));
}
