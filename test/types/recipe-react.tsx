// The React recipe (examples/recipes/react) as an app uses it, type-checked against the built package by name
// (scripts/check-types.mjs, tsconfig.recipes.json). The @ts-expect-error fails the check if its types become `any`.
import { WizKlaviyoProvider, useWizKlaviyo } from '../../examples/recipes/react/use-wiz-klaviyo';
import { ProductPage } from '../../examples/recipes/react/product-page';

export function Shop({ pathname }: { pathname: string }) {
  return (
    <WizKlaviyoProvider options={{ siteKey: 'AbC123', tenant: 'acme-eu' }} pathname={pathname}>
      <ProductPage product={{ id: 'p1', name: 'Linen Shirt', price: 49 }} />
    </WizKlaviyoProvider>
  );
}

export function Search({ term }: { term: string }) {
  const klaviyo = useWizKlaviyo();
  // @ts-expect-error: the instance may not exist yet (server rendering, first render)
  void klaviyo.searchedSite(term);
  void klaviyo?.searchedSite(term, 12);
  return null;
}
