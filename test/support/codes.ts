import { WizKlaviyoError } from '../../src/errors';

/** The code of the WizKlaviyoError that `run` throws; undefined when it does not throw. */
export function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof WizKlaviyoError ? error.code : `not a WizKlaviyoError: ${String(error)}`;
  }
}

/** The WizKlaviyoError that `run` throws. */
export function errorOf(run: () => unknown): WizKlaviyoError {
  try {
    run();
  } catch (error) {
    if (error instanceof WizKlaviyoError) return error;
    throw error;
  }
  throw new Error('expected a WizKlaviyoError, nothing was thrown');
}
