// Types for server.mjs, so TypeScript tests can import it.
export type FaultMode = 'ok' | '500' | '429' | 'drop' | 'drop-after-read';
export interface Fault {
  mode: FaultMode;
  count?: number | null;
  retryAfter?: number;
}

export interface RecordedRequest {
  path: string;
  companyId: string | null;
  status: number;
  body: unknown;
  receivedAt: string;
}
export interface RecordedEvent {
  companyId: string;
  /** `field:value` of the profile identifier used for deduplication. */
  identity: string;
  metric: string;
  uniqueId: string | null;
  profile: Record<string, unknown>;
  properties: Record<string, unknown>;
  time: string | null;
  value: number | null;
  valueCurrency: string | null;
  backfill: boolean;
  receivedAt: string;
}
export interface RecordedProfile {
  companyId: string;
  identity: string;
  attributes: Record<string, unknown>;
  /** Which endpoints touched it: 'events' and/or 'profiles'. */
  sources: Array<'events' | 'profiles'>;
  receivedAt: string;
  updatedAt: string;
  /** When the first profile update (POST /client/profiles) arrived, or null while there was none. */
  identifiedAt: string | null;
  /** Events the stand-in kept out as duplicates (same metric and unique_id, or same second without one). */
  duplicates: RecordedDuplicate[];
}
export interface RecordedDuplicate {
  metric: string;
  uniqueId: string | null;
  time: string | null;
  receivedAt: string;
}
export interface StandInState {
  requests: RecordedRequest[];
  events: RecordedEvent[];
  profiles: RecordedProfile[];
  duplicates: number;
  fault: { mode: FaultMode; count: number | null; retryAfter: number };
  /** Phone numbers the API answers 400 for (POST /__stand-in/refuse-phone). */
  refusedPhones: string[];
}

export interface StandIn {
  url: string;
  port: number;
  close(): Promise<void>;
  state(): StandInState;
  reset(): void;
  setFault(fault: Fault): StandInState['fault'];
}

export declare function startStandIn(options?: {
  port?: number;
  host?: string;
  /** URL prefix → directory of static files (longest prefix wins), e.g. `{ '/dist/': 'dist' }`. */
  staticRoutes?: Record<string, string>;
  /**
   * URL prefix → directory of a single-page app, e.g. `{ '/spa/': 'examples/spa' }`. Served like `staticRoutes`,
   * plus the history fallback: a path under the prefix with no matching file and no extension (`/spa/product/p1`)
   * gets the directory's `index.html`; a missing file with an extension (`/spa/app.js`) is still a 404. The prefix
   * without its trailing slash (`/spa`) redirects to it.
   */
  spaRoutes?: Record<string, string>;
  log?: boolean;
}): Promise<StandIn>;
