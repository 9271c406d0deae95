/** The answer to "why are no events landing?", from status(). */
export interface Status {
  /** The tenant this instance serves; null when the options were refused. */
  tenant: string | null;
  /** False when the tenant flag is off, disable() was called, or the options were refused. */
  enabled: boolean;
  /** Why this instance does nothing, when the options were refused (e.g. a private key). */
  refused: { code: string; message: string } | null;
  /** Where events are posted. */
  endpoint: string | null;
  /** Where the queue lives: IndexedDB, this page's memory, a storage option, or nowhere (refused or disabled). */
  storage: 'indexeddb' | 'memory' | 'custom' | 'none';
  /** Events and profile updates waiting to be sent (all tabs of this tenant). */
  queued: number;
  /** Waiting in the dead letters: see deadLetters.list(). */
  deadLettered: number;
  /** Dead letters dropped because their store was full. */
  droppedDeadLetters: number;
  /** Set while Klaviyo asked us (429) to slow down; ISO time. */
  pausedUntil: string | null;
  /** Delivered by this page since it loaded. */
  sent: number;
  lastSuccessAt: string | null;
  lastError: { code: string; message: string; at: string } | null;
}

export function iso(ms: number | null | undefined): string | null {
  return ms ? new Date(ms).toISOString() : null;
}
