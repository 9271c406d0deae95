'use client';
// Recipe: wiz-klaviyo in a React app (Next.js App Router, react-router, Vite). Copy this file into your app.
//
// - One instance per tenant for the whole tab, kept in a module-level registry: React StrictMode's
//   mount → unmount → mount in development, or two providers for the same tenant, share it instead of racing two
//   queues. It is destroyed once no provider has used it for a tick (StrictMode re-mounts within the same tick).
// - Auto-tracking (the README's markup contract) runs for that instance. The provider takes the current pathname:
//   when it changes, React has already committed the new route's DOM, so auto-tracking starts afresh and reads the
//   new page at once (Viewed Product from its JSON-LD or data-wk-product), however long the route took to render.
//   Query-only changes (a search's ?q=) are heard by auto-tracking itself.
//
// Next.js App Router (app/layout.tsx renders <Shop>{children}</Shop>; this file is a client module):
//   import { usePathname } from 'next/navigation';
//   const options = { siteKey: 'AbC123', tenant: 'acme-eu' };
//   export function Shop({ children }: { children: ReactNode }) {
//     return <WizKlaviyoProvider options={options} pathname={usePathname()}>{children}</WizKlaviyoProvider>;
//   }
// react-router (inside <BrowserRouter>):
//   import { useLocation } from 'react-router';
//   const { pathname } = useLocation();
//   <WizKlaviyoProvider options={{ siteKey: 'AbC123', tenant: 'acme-eu' }} pathname={pathname}>…</WizKlaviyoProvider>
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { createWizKlaviyo, startAutotrack, type Autotrack, type WizKlaviyo, type WizKlaviyoOptions } from 'wiz-klaviyo';

interface Entry {
  instance: WizKlaviyo;
  users: number;
  autotrack?: Autotrack;
  pathname?: string;
  destroyTimer?: ReturnType<typeof setTimeout>;
}

// Module-level: one instance per tenant for the whole tab, whatever React mounts and re-mounts.
const instances = new Map<string, Entry>();

function acquire(options: WizKlaviyoOptions): Entry {
  const tenant = options.tenant ?? options.siteKey;
  let entry = instances.get(tenant);
  if (!entry) {
    entry = { instance: createWizKlaviyo(options), users: 0 };
    instances.set(tenant, entry);
  }
  clearTimeout(entry.destroyTimer);
  entry.users += 1;
  return entry;
}

function release(tenant: string, entry: Entry): void {
  entry.users -= 1;
  if (entry.users > 0) return;
  // Deferred: StrictMode's immediate re-mount acquires the same entry again before this runs.
  entry.destroyTimer = setTimeout(() => {
    if (entry.users > 0) return;
    entry.autotrack?.stop();
    entry.instance.destroy(); // stops timers and listeners; what is queued stays for the next page
    instances.delete(tenant);
  }, 0);
}

/**
 * The tenant's instance, created in the browser only (undefined during server rendering and the first render), with
 * auto-tracking restarted whenever `pathname` changes.
 */
export function useWizKlaviyoInstance(options: WizKlaviyoOptions, pathname: string): WizKlaviyo | undefined {
  const tenant = options.tenant ?? options.siteKey;
  const [entry, setEntry] = useState<Entry>();
  useEffect(() => {
    const acquired = acquire(options);
    setEntry(acquired);
    return () => release(tenant, acquired);
    // Keyed by tenant only: the options are read once per tenant, like the script tag's attributes.
  }, [tenant]);
  useEffect(() => {
    if (!entry || entry.pathname === pathname) return; // StrictMode's second run: nothing new to read
    entry.autotrack?.stop();
    entry.autotrack = startAutotrack(entry.instance);
    entry.pathname = pathname;
  }, [entry, pathname]);
  return entry?.instance;
}

const WizKlaviyoContext = createContext<WizKlaviyo | undefined>(undefined);

export function WizKlaviyoProvider(props: { options: WizKlaviyoOptions; pathname: string; children: ReactNode }) {
  const instance = useWizKlaviyoInstance(props.options, props.pathname);
  return <WizKlaviyoContext.Provider value={instance}>{props.children}</WizKlaviyoContext.Provider>;
}

/** The provider's instance; undefined until it exists in the browser, so call it from effects and handlers. */
export function useWizKlaviyo(): WizKlaviyo | undefined {
  return useContext(WizKlaviyoContext);
}
