// The package version, written into the bundles by rollup.config.mjs (output.intro); 'dev' when run from source.
declare const __WIZ_KLAVIYO_VERSION__: string | undefined;

export const VERSION = typeof __WIZ_KLAVIYO_VERSION__ === 'string' ? __WIZ_KLAVIYO_VERSION__ : 'dev';
