import { commerce } from './commerce.js';
import { consent } from './consent.js';
import { identity } from './identify.js';
import { klaviyoJs } from './klaviyo-js.js';
import { statusAndDeadLetters } from './status.js';

/** Every feature: what the script tag and `createWizKlaviyo` from the main entry give. */
export const allFeatures = [consent, identity, klaviyoJs, commerce, statusAndDeadLetters] as const;
