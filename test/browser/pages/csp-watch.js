// Collects every CSP violation the page reports, before the SDK runs.
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (event) {
  window.__violations.push({ directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample });
});
