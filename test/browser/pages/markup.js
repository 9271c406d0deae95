// A tiny router for the test page: renders a product view after pushState, like an SPA would.
window.renderProduct = function (id, name) {
  history.pushState({}, '', '/markup.html?product=' + id);
  setTimeout(function () {
    var old = document.getElementById('spa-product');
    if (old) old.remove();
    var script = document.createElement('script');
    script.type = 'application/ld+json';
    script.id = 'spa-product';
    script.textContent = JSON.stringify({ '@type': 'Product', productID: id, name: name, offers: { price: 10 } });
    document.head.appendChild(script);
  }, 20);
};
document.addEventListener('submit', function (event) {
  event.preventDefault();
});
