import { commerce } from './commerce.js';
import { identity } from './identify.js';
import { klaviyoJs } from './klaviyo-js.js';
import { statusAndDeadLetters } from './status.js';

/** The features the script tag loads after its first file (which has the core, consent and the guest hold). */
export const laterFeatures = [identity, klaviyoJs, commerce, statusAndDeadLetters] as const;
