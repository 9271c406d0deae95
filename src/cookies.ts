/** One cookie's value from `document.cookie`, undefined when it is not set or cookies cannot be read. */
export function readCookie(doc: Pick<Document, 'cookie'> | undefined, name: string): string | undefined {
  let all: string;
  try {
    all = doc?.cookie ?? ''; // throws in sandboxed frames, and a page may have redefined it
  } catch {
    return undefined;
  }
  if (typeof all !== 'string') return undefined;
  for (const pair of all.split(';')) {
    const at = pair.indexOf('=');
    const key = (at === -1 ? pair : pair.slice(0, at)).trim();
    if (key === name) return at === -1 ? '' : pair.slice(at + 1).trim();
  }
  return undefined;
}
