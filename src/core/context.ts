import type { ConsentState } from '../consent.js';
import type { Delivery } from '../delivery/delivery.js';
import type { Describable, WizKlaviyoError } from '../errors.js';
import type { Gate } from '../gate.js';
import type { Identity } from '../identity.js';
import type { RejectedIdentifier } from '../delivery/rejected-identifier.js';
import type { ResolvedOptions, WizKlaviyoOptions } from '../options.js';
import type { Platform } from '../platform.js';
import type { Reporter } from '../report.js';
import type { OnsiteState } from '../onsite.js';
import type { KeyValueStore } from '../storage.js';
import type { TabChannel } from '../tab-channel.js';
import type { Tracker } from '../tracker.js';

/**
 * What the core hands every plugin: one small, typed context. A plugin reads the options, asks the gate before it
 * collects or sends, reports through the one reporter, stores under the tenant's namespace, and hooks into start-up.
 */
export interface CoreContext {
  options: ResolvedOptions;
  /** The options as given, for a plugin's own fields. */
  given: WizKlaviyoOptions;
  platform: Platform;
  report: Reporter;
  /** Asked synchronously before anything is collected, stored or sent. */
  gate: Gate;
  /** The tenant's key-value store for small state (the buyer, the consent decision, timestamps). */
  meta: KeyValueStore;
  /** The anonymous_id and, once known, the buyer's identifiers. */
  identity: Identity;
  tracker: Tracker;
  delivery: Delivery;
  /** Resolves once what earlier pages stored (the buyer, every plugin's `waitFor`) is known. */
  ready: Promise<unknown>;
  /** Makes `ready` wait for this too (a stored decision the gate depends on); during setup at start-up only. */
  waitFor(loaded: Promise<unknown>): void;
  /** Adds a reason to refuse collecting or sending (consent); the gate asks every one. */
  restrict(check: GateCheck): void;
  /**
   * A start-up step, run in registration order once `ready` resolves and the gate allows collecting. A plugin added
   * to a running instance (addPlugins) has its steps run then, in order.
   */
  onStart(step: () => Promise<unknown> | void): void;
  /** Runs each time the gate may have opened (start, consent given, enable()), when sending is allowed. */
  onGateOpen(run: () => void): void;
  /** Tells the core the gate may have opened (consent given): what waited is sent, and onGateOpen runs. */
  gateChanged(): void;
  /** Runs on destroy(). */
  onDestroy(run: () => void): void;
  /**
   * Deletes everything collected (consent withdrawn): the queue, dead letters, buyer, and what plugins keep.
   * `toldByOtherTab`: another tab did so and makes the new guest; this one forgets what it keeps itself.
   */
  forget(scope?: { toldByOtherTab?: boolean }): Promise<void>;
  /** Adds to what forget() deletes. */
  onForget(run: () => Promise<unknown> | void): void;
  /** Whether the tenant is on (disable() / enable()). */
  enabled(): boolean;
  /** Where the queue lives now: IndexedDB, this page's memory (after a failure, or none), or a storage option. */
  storageKind(): 'indexeddb' | 'memory' | 'custom';
  /** Runs storage work for a public call: a failure is reported as storage_failed and `fallback` returned. */
  safely<T>(work: () => Promise<T>, fallback: T): Promise<T>;
  /** The store's other open tabs: what a plugin posts there, and what they post. */
  tabs: TabChannel;
  /** Services plugins offer each other; each has a harmless default when its plugin is absent. */
  services: Services;
  /** The instance the plugins make up; available once every plugin is set up (not during setup). */
  instance(): object;
}

export interface GateCheck {
  /** Why nothing may be collected now, or undefined. */
  refusal(): WizKlaviyoError | undefined;
  /** Whether what was collected may be sent now (consent 'pending' collects but does not send). */
  maySend(): boolean;
}

export interface Services {
  /** Calls a klaviyo.js method (the klaviyo.js plugin); a no-op without it. */
  onsite(method: string, ...args: unknown[]): void;
  /** Whether a guest's event waits for identify() (the identity plugin's guest hold); false without it. */
  holdsGuestEvent(event: string): boolean;
  /** Whether the guest hold is set up (by `identity`, or on its own by the script tag's first file). */
  guestHold: boolean;
  /** identify(), for plugins that learn who the buyer is (an order's email); resolves at once without it. */
  identify(buyer: unknown, options: { reason: 'checkout' }): Promise<unknown>;
  /** The shopper's consent state (the consent plugin); 'granted' without it. */
  consentState(): ConsentState;
  /** klaviyo.js's state (the klaviyo.js plugin); 'off' without it. */
  onsiteState(): OnsiteState;
  /** klaviyo.js may know the visitor now (it loaded): the identity plugin looks at its cookie. */
  onsiteVisitorChanged(): void;
  /** Klaviyo refused these identifier values (the queue no longer carries them): the identity plugin forgets them. */
  identifiersRejected(rejected: RejectedIdentifier[]): void;
}

/**
 * A feature. `setup` returns the methods it adds to the instance; `inert` the same methods for an instance that does
 * nothing (refused options, tenant switched off), so both are defined in one place.
 */
export interface Plugin<Api extends object = object> {
  name: string;
  setup(ctx: CoreContext): Api;
  /** `options`: null when they were refused; `report`: the instance's reporter (it has reported `reason` already). */
  inert(reason: WizKlaviyoError, options: ResolvedOptions | null, report: Reporter): Api;
  /**
   * The English sentence for an error (the debug plugin): the reporter uses it for the console, status() and
   * onError's `error.message`. Looked up before the options are read, so refused options are described too.
   */
  describe?(error: Describable): string;
}
