// Recipe: wiz-klaviyo in a Vue 3 app with vue-router. Copy this file into your app.
//
//   import { createApp } from 'vue';
//   import { wizKlaviyo } from './wiz-klaviyo-plugin';
//   const options = { siteKey: 'AbC123', tenant: 'acme-eu' };
//   createApp(App).use(router).use(wizKlaviyo, { options, router }).mount('#app');
//
// and in any component's setup: `const klaviyo = useWizKlaviyo(); klaviyo.viewedProduct(product);`
//
// The app owns one instance for its tenant (an app is created once, so there is nothing to share or count), provided
// to every component, destroyed by app.unmount(). Auto-tracking (the README's markup contract) runs for it, started
// afresh after each route change to a new path (router.afterEach) once Vue has rendered the new view (nextTick), so it
// reads the new page at once. Query-only changes (a search's ?q=) are heard by auto-tracking itself.
//
// Nuxt: the same plugin, in plugins/wiz-klaviyo.client.ts (.client: the browser only):
//   import { wizKlaviyo } from '~/wiz-klaviyo-plugin';
//   export default defineNuxtPlugin((nuxtApp) => {
//     const options = { siteKey: 'AbC123', tenant: 'acme-eu' };
//     nuxtApp.vueApp.use(wizKlaviyo, { options, router: useRouter() });
//   });
import { inject, nextTick, type InjectionKey, type Plugin } from 'vue';
import type { Router } from 'vue-router';
import { createWizKlaviyo, startAutotrack, type Autotrack, type WizKlaviyo, type WizKlaviyoOptions } from 'wiz-klaviyo';

export interface WizKlaviyoPluginOptions {
  options: WizKlaviyoOptions;
  /** The app's vue-router: auto-tracking reads each new route's page once Vue has rendered it. */
  router?: Router;
}

export const wizKlaviyoKey: InjectionKey<WizKlaviyo> = Symbol('wiz-klaviyo');

export const wizKlaviyo: Plugin<[WizKlaviyoPluginOptions]> = {
  install(app, { options, router }) {
    const instance = createWizKlaviyo(options);
    app.provide(wizKlaviyoKey, instance);

    // With a router, auto-tracking starts once the first route has rendered and afresh on every new path after it;
    // without one, at once (it then hears history changes itself, after the DOM has been quiet a moment).
    let autotrack: Autotrack | undefined = router ? undefined : startAutotrack(instance);
    let path: string | undefined;
    const stopAfterEach = router?.afterEach((to, _from, failure) => {
      if (failure || to.path === path) return;
      path = to.path;
      void nextTick(() => {
        autotrack?.stop();
        autotrack = startAutotrack(instance);
      });
    });

    app.onUnmount(() => {
      stopAfterEach?.();
      autotrack?.stop();
      instance.destroy(); // stops timers and listeners; what is queued stays for the next page
    });
  },
};

/** The app's instance, in a component's setup() (or anywhere inject() works). */
export function useWizKlaviyo(): WizKlaviyo {
  const instance = inject(wizKlaviyoKey);
  if (!instance) throw new Error('useWizKlaviyo(): install the plugin first, app.use(wizKlaviyo, { options })');
  return instance;
}
