// The Vue recipe (examples/recipes/vue) as an app uses it, type-checked against the built package by name
// (scripts/check-types.mjs, tsconfig.recipes.json). The @ts-expect-error fails the check if its types become `any`.
import { createApp, defineComponent } from 'vue';
import { createRouter, createWebHistory } from 'vue-router';
import { useWizKlaviyo, wizKlaviyo } from '../../examples/recipes/vue/wiz-klaviyo-plugin';

const ProductView = defineComponent({
  setup() {
    const klaviyo = useWizKlaviyo();
    void klaviyo.viewedProduct({ id: 'p1', name: 'Linen Shirt', price: 49 });
    // @ts-expect-error: a Product needs an id
    void klaviyo.viewedProduct({ name: 'Linen Shirt' });
    return () => null;
  },
});

const router = createRouter({
  history: createWebHistory(),
  routes: [{ path: '/products/:id', component: ProductView }],
});
createApp(ProductView)
  .use(router)
  .use(wizKlaviyo, { options: { siteKey: 'AbC123', tenant: 'acme-eu' }, router })
  .mount('#app');
