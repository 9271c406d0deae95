import { commerce } from './commerce';
import { consent } from './consent';
import { identity } from './identify';
import { klaviyoJs } from './klaviyo-js';
import { statusAndDeadLetters } from './status';

/** Every feature: what the script tag and `createWizKlaviyo` from the main entry give. */
export const allFeatures = [consent, identity, klaviyoJs, commerce, statusAndDeadLetters] as const;
