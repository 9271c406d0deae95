// Live view of the stand-in: polls /__stand-in/state and rebuilds the page. Everything received comes from the
// page under test, so it is only ever put into the DOM as text (createElement + textContent), never as HTML.
(function () {
  'use strict';

  var lastJson = '';

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function shorten(text, max) {
    return text.length > max ? text.slice(0, max - 1) + '…' : text;
  }

  function counter(label, value) {
    var box = el('div', 'counter');
    box.appendChild(el('strong', '', String(value)));
    box.appendChild(document.createTextNode(label));
    return box;
  }

  function renderCounters(state) {
    var rejected = state.requests.filter(function (r) {
      return r.status >= 400 && r.status < 500 && r.status !== 429;
    });
    var failed = state.requests.filter(function (r) {
      return r.status === 0 || r.status === 429 || r.status >= 500;
    });
    document
      .getElementById('counters')
      .replaceChildren(
        counter('requests', state.requests.length),
        counter('unique events', state.events.length),
        counter('duplicates', state.duplicates),
        counter('rejected', rejected.length),
        counter('faults', failed.length),
      );
    var fault = document.getElementById('fault');
    var f = state.fault || { mode: 'ok' };
    fault.className = f.mode === 'ok' ? '' : 'fault';
    fault.textContent =
      (f.mode === 'ok'
        ? 'Fault injection: off'
        : 'Fault injection: ' + f.mode + (f.count ? ' (next ' + f.count + ' requests)' : ' (until changed)')) +
      (state.refusedPhones && state.refusedPhones.length
        ? ' · refused phone numbers: ' + state.refusedPhones.join(', ')
        : '');
  }

  function eventTable(events) {
    var table = el('table');
    var head = el('tr');
    ['Metric', 'Time', 'Properties', 'unique_id'].forEach(function (title) {
      head.appendChild(el('th', '', title));
    });
    table.appendChild(head);
    events
      .slice()
      .reverse()
      .forEach(function (event) {
        var row = el('tr');
        var value = event.value == null ? '' : ' (' + event.value + ' ' + (event.valueCurrency || '') + ')';
        row.appendChild(el('td', '', event.metric + value + (event.backfill ? ' [backfill]' : '')));
        row.appendChild(el('td', '', event.time || event.receivedAt));
        row.appendChild(el('td', 'json', shorten(JSON.stringify(event.properties), 300)));
        row.appendChild(el('td', 'json', event.uniqueId || '—'));
        table.appendChild(row);
      });
    return table;
  }

  function renderProfiles(state) {
    var container = document.getElementById('profiles');
    if (state.profiles.length === 0) {
      container.replaceChildren(el('p', 'empty', 'Nothing received yet.'));
      return;
    }
    var sections = state.profiles
      .slice()
      .reverse()
      .map(function (profile) {
        var section = el('section', 'profile');
        section.appendChild(el('h2', '', profile.identity + '  ·  company ' + profile.companyId));
        section.appendChild(el('div', 'attributes', shorten(JSON.stringify(profile.attributes), 400)));
        var events = state.events.filter(function (e) {
          return e.companyId === profile.companyId && e.identity === profile.identity;
        });
        section.appendChild(events.length ? eventTable(events) : el('p', 'empty', 'No events.'));
        return section;
      });
    container.replaceChildren.apply(container, sections);
  }

  function refresh() {
    fetch('/__stand-in/state', { cache: 'no-store' })
      .then(function (response) {
        return response.text();
      })
      .then(function (json) {
        if (json === lastJson) return; // keeps text selection intact while nothing changes
        lastJson = json;
        var state = JSON.parse(json);
        renderCounters(state);
        renderProfiles(state);
      })
      .catch(function () {
        document.getElementById('fault').textContent = 'Stand-in not reachable.';
        lastJson = '';
      })
      .finally(function () {
        setTimeout(refresh, 1000);
      });
  }

  refresh();
})();
