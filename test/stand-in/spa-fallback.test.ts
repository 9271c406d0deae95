// @vitest-environment node
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandIn } from '../../examples/stand-in/server.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const spaDir = path.join(repo, 'examples', 'spa');

type StandIn = Awaited<ReturnType<typeof startStandIn>>;
let standIn: StandIn;

beforeEach(async () => {
  standIn = await startStandIn({
    staticRoutes: { '/store/': path.join(repo, 'examples', 'storefront'), '/': path.join(repo, 'examples', 'demo') },
    spaRoutes: { '/spa/': spaDir },
  });
});

afterEach(async () => {
  await standIn.close();
});

/** A GET with the path sent exactly as written, without following redirects. */
function rawGet(pathname: string): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: standIn.port, path: pathname }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, location: res.headers.location });
      })
      .on('error', reject);
  });
}

describe('stand-in SPA routes', () => {
  it('answers a deep client-side route with the app index.html', async () => {
    const index = await readFile(path.join(spaDir, 'index.html'), 'utf8');
    for (const route of ['/spa/product/p1', '/spa/checkout', '/spa/search?q=linen', '/spa/category/shirts/']) {
      const response = await fetch(`${standIn.url}${route}`);
      expect(response.status, route).toBe(200);
      expect(response.headers.get('content-type'), route).toContain('text/html');
      expect(await response.text(), route).toBe(index);
    }
  });

  it('serves the app files themselves and still answers 404 for a missing file with an extension', async () => {
    const script = await fetch(`${standIn.url}/spa/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('text/javascript');

    expect((await rawGet('/spa/missing.js')).status).toBe(404);
    expect((await rawGet('/spa/views/missing.css')).status).toBe(404);
  });

  it('redirects the prefix without its slash and refuses path traversal', async () => {
    expect(await rawGet('/spa')).toEqual({ status: 301, location: '/spa/' });
    expect(await rawGet('/spa?x=1')).toEqual({ status: 301, location: '/spa/?x=1' });
    expect((await rawGet('/spa/../../package.json')).status).toBe(403);
    expect((await rawGet('/spa/%2e%2e/%2e%2e/package.json')).status).toBe(403);
  });

  it('keeps plain static routes without a fallback', async () => {
    expect((await fetch(`${standIn.url}/store/`)).status).toBe(200);
    expect((await rawGet('/store/no-such-page')).status).toBe(404);
  });
});
