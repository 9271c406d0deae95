// @vitest-environment node
import { spawn } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';

/** Runs `npm start`'s server on PORT until it prints its listening line; returns what it printed. */
function startServer(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['examples/stand-in/server.mjs'], {
      env: { ...process.env, PORT: String(port) },
    });
    let out = '';
    const timer = setTimeout(() => (child.kill(), reject(new Error(`no listening line: ${out}`))), 15_000);
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
      if (!out.includes('listening on')) return;
      clearTimeout(timer);
      child.kill();
      resolve(out);
    });
  });
}

describe('npm start on a busy port', () => {
  it('says so in one line and takes the next free port', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as net.AddressInfo).port;
    try {
      const out = await startServer(busy);
      expect(out).toContain(`Port ${busy} is busy; trying ${busy + 1} (set PORT=… to choose one).`);
      expect(out).toMatch(new RegExp(`listening on http://127\\.0\\.0\\.1:${busy + 1}`));
    } finally {
      blocker.close();
    }
  });
});
