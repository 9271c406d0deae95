import { consent } from './consent.js';
import { laterFeatures } from './later.js';

/** Every feature: what the script tag and `createWizKlaviyo` from the main entry give. */
export const allFeatures = [consent, ...laterFeatures] as const;
