'use client';
// Recipe: a client component using the provider's instance (Next.js App Router wants 'use client' at the top).
// With auto-tracking, a page that carries the product's JSON-LD or data-wk-product needs no viewedProduct() call;
// this one renders none, so it says it itself. The login form is app code, so it identifies the buyer itself.
import { useEffect, useState, type FormEvent } from 'react';
import type { Product } from 'wiz-klaviyo';
import { useWizKlaviyo } from './use-wiz-klaviyo';

export function ProductPage({ product }: { product: Product }) {
  const klaviyo = useWizKlaviyo();
  const [email, setEmail] = useState('');

  useEffect(() => {
    if (klaviyo) void klaviyo.viewedProduct(product); // resolves { ok: false, error } instead of throwing
    // Keyed by product.id: once per product and instance, not on every render of the same product.
  }, [klaviyo, product.id]);

  const logIn = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // … the app's own login, then:
    void klaviyo?.identify({ email }, { reason: 'login' }); // also records Logged In
  };

  return (
    <main>
      <h1>{product.name}</h1>
      {product.price === undefined ? null : <p>{product.price}</p>}
      <form onSubmit={logIn}>
        <input type="email" value={email} onChange={(event) => setEmail(event.target.value)} />
        <button type="submit">Log in</button>
      </form>
    </main>
  );
}
