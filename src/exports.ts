// What both ES entries export besides their createWizKlaviyo: types, the error class, storage and auto-tracking.
export type { CommerceHelpers } from './commerce.js';
export type { BuyerInput } from './buyer-input.js';
export type { Product, CartLine, Cart, Order, Address, StandardEvent } from './events/shapes.js';
export type { OnsiteState } from './onsite.js';
export type { WizKlaviyoOptions, DeliveryOptions } from './options.js';
export { DEFAULT_ENDPOINT, DEFAULT_ONSITE_HOST, DEFAULT_REVISION } from './options.js';
export type { TrackOptions } from './events/event-options.js';
export type { Status } from './status.js';
export type { ErrorInfo } from './report.js';
export { WizKlaviyoError } from './errors.js';
export type { ErrorCode } from './errors.js';
export type { DeadLetter, DeadLetterReason } from './delivery/dead-letter.js';
export type { FlushResult } from './delivery/drain.js';
export { indexedDbStorage, memoryStorage } from './storage.js';
export type { KeyValueStore, StorageFactory } from './storage.js';
export type { Platform, Clock, LockProvider } from './platform.js';
export { startAutotrack } from './autotrack/index.js';
export type { AutotrackOptions, Autotrack } from './autotrack/index.js';
export type { ConsentState } from './consent.js';
export type { WizKlaviyoGlobal, QueuedCall } from './global.js';
export type {
  StandardEventProperties,
  ItemProperties,
  AddressProperties,
  EventName,
  PropertiesOf,
} from './events/standard-properties.js';
