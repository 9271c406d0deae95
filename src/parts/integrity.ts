// Subresource Integrity hashes of the script tag's other files, by file name ('wiz-klaviyo.sender.js' → 'sha384-…').
// The build fills them in the first file only (rollup.config.mjs), from the files it built just before; the first
// file checks what it fetches against them when its own tag carries `integrity` (README "Script tag").
export const LATER_FILES_INTEGRITY: Readonly<Record<string, string>> = {};
