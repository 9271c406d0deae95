// The ESM entry: exports only, no effects at import time.
export { createWizKlaviyo } from './client';
export type { WizKlaviyo, TrackResult, DeadLetterApi, IdentifyReason, IdentifyResult } from './client';
export type { BuyerInput } from './buyer-input';
export type { Product, CartLine, Cart, Order, Address, StandardEvent } from './events/shapes';
export type { OnsiteState } from './onsite';
export type { WizKlaviyoOptions, DeliveryOptions } from './options';
export { DEFAULT_ENDPOINT, DEFAULT_ONSITE_HOST, DEFAULT_REVISION } from './options';
export type { TrackOptions } from './events/event-options';
export type { Status } from './status';
export type { ErrorInfo } from './report';
export { WizKlaviyoError } from './errors';
export type { ErrorCode } from './errors';
export type { DeadLetter, DeadLetterReason } from './delivery/dead-letter';
export type { FlushResult } from './delivery/drain';
export { indexedDbStorage, memoryStorage } from './storage';
export type { KeyValueStore, StorageFactory } from './storage';
export type { Platform, Clock, LockProvider } from './platform';
