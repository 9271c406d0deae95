// The storefront's stub: calls made before the SDK loads are queued here and replayed in order.
window.wizKlaviyo = window.wizKlaviyo || [];
window.wizKlaviyo.push(['viewedProduct', { id: 'p1', name: 'Linen Shirt', price: 49, categories: ['Shirts'] }]);
