// The kit: the first file's copy of the modules the script tag's later files share with it (rollup.config.mjs,
// `kit`). The build replaces this module, in the first file only, with one that puts those modules' exports on
// `globalThis.__wizKlaviyoKit` (with the version); the later files read them from there instead of carrying copies.
export {};
