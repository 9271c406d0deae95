// Live view of the stand-in: polls /__stand-in/state and rebuilds the page. Everything received comes from the
// page under test, so it is only ever put into the DOM as text (createElement/createElementNS + textContent), never
// as HTML.
(function () {
  'use strict';

  var SVG = 'http://www.w3.org/2000/svg';
  var lastJson = '';

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function svg(tag, attributes, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, String(attributes[name]));
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function counter(label, value) {
    var box = el('div', 'counter');
    box.appendChild(el('strong', '', String(value)));
    box.appendChild(document.createTextNode(label));
    return box;
  }

  function pad(n, width) {
    return String(n).padStart(width || 2, '0');
  }

  /** Local time of day to the millisecond: events of one walk are seconds apart. */
  function clock(ms) {
    var d = new Date(ms);
    return (
      pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + '.' + pad(d.getMilliseconds(), 3)
    );
  }

  function seconds(ms) {
    return (ms / 1000).toFixed(ms < 10000 ? 1 : 0) + ' s';
  }

  /** When the event happened: its `time`, else when the stand-in received it. */
  function happened(event) {
    var t = event.time ? Date.parse(event.time) : NaN;
    return isNaN(t) ? Date.parse(event.receivedAt) : t;
  }

  // --- counters and faults ------------------------------------------------------------------------------------

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
    document.querySelectorAll('#fault-buttons button').forEach(function (button) {
      button.setAttribute('aria-pressed', String(button.getAttribute('data-mode') === f.mode));
    });
  }

  function setUpFaultButtons() {
    document.querySelectorAll('#fault-buttons button').forEach(function (button) {
      button.addEventListener('click', function () {
        var mode = button.getAttribute('data-mode');
        var count = button.getAttribute('data-count');
        var body = count ? { mode: mode, count: Number(count) } : { mode: mode };
        fetch('/__stand-in/fault', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        })
          .then(function () {
            lastJson = '';
            return poll();
          })
          .catch(function () {
            document.getElementById('fault').textContent = 'Stand-in not reachable.';
          });
      });
    });
  }

  // --- properties as rows -------------------------------------------------------------------------------------

  function isContainer(value) {
    return typeof value === 'object' && value !== null;
  }

  function valueText(value) {
    if (value === null) return 'null';
    if (typeof value === 'string') return value;
    return JSON.stringify(value);
  }

  /** A <dl> of key/value rows; objects and arrays nest as their own expandable rows. */
  function propertyRows(value) {
    var list = el('dl', 'props');
    Object.keys(value).forEach(function (key) {
      var item = value[key];
      list.appendChild(el('dt', '', key));
      var cell = el('dd');
      if (isContainer(item) && Object.keys(item).length) {
        var nested = el('details');
        var size = Object.keys(item).length;
        var noun = Array.isArray(item) ? ' item' : ' field';
        nested.appendChild(el('summary', '', size + noun + (size === 1 ? '' : 's')));
        nested.appendChild(propertyRows(item));
        cell.appendChild(nested);
      } else {
        cell.textContent = valueText(item);
      }
      list.appendChild(cell);
    });
    return list;
  }

  function propertiesDetails(label, value) {
    var keys = isContainer(value) ? Object.keys(value) : [];
    if (!keys.length) return el('div', 'when', label + ': none');
    var details = el('details', 'properties');
    details.appendChild(el('summary', '', label + ' (' + keys.length + ')'));
    details.appendChild(propertyRows(value));
    return details;
  }

  // --- one profile --------------------------------------------------------------------------------------------

  /** The identify point: the profile's first Logged In event or profile update, whichever is earlier (ms or null). */
  function identifyPoint(profile, events) {
    var candidates = [];
    if (profile.identifiedAt) candidates.push(Date.parse(profile.identifiedAt));
    events.forEach(function (event) {
      if (event.metric === 'Logged In') candidates.push(happened(event));
    });
    return candidates.length ? Math.min.apply(null, candidates) : null;
  }

  function isHeld(event, identify) {
    return identify !== null && happened(event) < identify && Date.parse(event.receivedAt) >= identify;
  }

  /** Drawn at the width it is shown at (one SVG unit is one CSS pixel), so its labels keep their size. */
  function timeline(events, identify, width) {
    var height = 56;
    var left = 12;
    var right = width - 12;
    var times = events.map(happened);
    if (identify !== null) times.push(identify);
    var min = Math.min.apply(null, times);
    var max = Math.max.apply(null, times);
    var span = Math.max(max - min, 1);
    var x = function (t) {
      return max === min ? width / 2 : left + ((t - min) / span) * (right - left);
    };
    var picture = svg('svg', {
      class: 'timeline',
      viewBox: '0 0 ' + width + ' ' + height,
      role: 'img',
      'aria-label': 'Timeline of ' + events.length + ' events' + (identify !== null ? ', with the identify point' : ''),
    });
    picture.appendChild(svg('title', {}, 'Events by the time they happened; green line: identify'));
    if (identify !== null) {
      picture.appendChild(svg('rect', { x: 0, y: 8, width: x(identify), height: 30, fill: '#f3f3f3' }));
    }
    picture.appendChild(svg('line', { x1: left, y1: 23, x2: right, y2: 23, stroke: '#bbb', 'stroke-width': 1 }));
    events.forEach(function (event) {
      var held = isHeld(event, identify);
      var dot = svg('circle', {
        class: 'dot' + (held ? ' held' : ''),
        cx: x(happened(event)).toFixed(1),
        cy: 23,
        r: 6,
        fill: held ? '#1b4fb8' : '#777',
        'fill-opacity': 0.8,
      });
      dot.appendChild(svg('title', {}, event.metric + ' · ' + clock(happened(event)) + (held ? ' · held' : '')));
      picture.appendChild(dot);
    });
    if (identify !== null) {
      var at = x(identify);
      picture.appendChild(
        svg('line', { class: 'identify', x1: at, y1: 4, x2: at, y2: 42, stroke: '#1e8e3e', 'stroke-width': 3 }),
      );
      var anchor = at < 80 ? 'start' : at > width - 80 ? 'end' : 'middle';
      picture.appendChild(
        svg('text', { x: at, y: 54, 'text-anchor': anchor, 'font-size': 12, fill: '#186b2c' }, 'identify'),
      );
    }
    picture.appendChild(svg('text', { x: left, y: 54, 'font-size': 11, fill: '#666' }, clock(min).slice(0, 8)));
    picture.appendChild(
      svg('text', { x: right, y: 54, 'font-size': 11, fill: '#666', 'text-anchor': 'end' }, clock(max).slice(0, 8)),
    );
    return picture;
  }

  function eventItem(event, identify) {
    var item = el('li', 'event');
    var at = happened(event);
    var received = Date.parse(event.receivedAt);
    var title = el('div');
    var value = event.value == null ? '' : ' (' + event.value + ' ' + (event.valueCurrency || '') + ')';
    title.appendChild(el('span', 'metric', event.metric + value));
    if (isHeld(event, identify)) title.appendChild(el('span', 'mark held', 'held until identify'));
    if (event.backfill) title.appendChild(el('span', 'mark backfill', 'backfill'));
    item.appendChild(title);
    var lag = received - at;
    item.appendChild(
      el(
        'div',
        'when',
        'happened ' +
          clock(at) +
          (event.time ? '' : ' (no time sent)') +
          ' · received ' +
          clock(received) +
          (lag >= 100 ? ' (' + seconds(lag) + ' later)' : ''),
      ),
    );
    item.appendChild(el('div', 'when', 'unique_id: ' + (event.uniqueId || '—')));
    item.appendChild(propertiesDetails('Properties', event.properties));
    item.setAttribute('data-time', new Date(at).toISOString());
    return item;
  }

  function duplicateList(duplicates) {
    var list = el('ul', 'duplicates');
    duplicates.forEach(function (duplicate) {
      var item = el('li');
      item.appendChild(el('span', 'mark duplicate', 'kept out'));
      item.appendChild(
        document.createTextNode(
          ' ' +
            duplicate.metric +
            ' · unique_id ' +
            (duplicate.uniqueId || '— (same second)') +
            ' · received ' +
            clock(Date.parse(duplicate.receivedAt)),
        ),
      );
      list.appendChild(item);
    });
    return list;
  }

  function profileSection(profile, state, width) {
    var section = el('section', 'profile');
    section.appendChild(el('h2', '', profile.identity + '  ·  company ' + profile.companyId));
    section.appendChild(propertiesDetails('Profile attributes', profile.attributes));
    var events = state.events
      .filter(function (e) {
        return e.companyId === profile.companyId && e.identity === profile.identity;
      })
      .sort(function (a, b) {
        return happened(a) - happened(b) || Date.parse(a.receivedAt) - Date.parse(b.receivedAt);
      });
    var identify = identifyPoint(profile, events);
    if (identify !== null) {
      var point = el('div', 'when');
      point.appendChild(el('span', 'mark identify', 'identify'));
      point.appendChild(document.createTextNode(' at ' + clock(identify)));
      section.appendChild(point);
    }
    if (events.length) {
      section.appendChild(timeline(events, identify, width));
      var list = el('ol', 'events');
      events.forEach(function (event) {
        list.appendChild(eventItem(event, identify));
      });
      section.appendChild(list);
    } else {
      section.appendChild(el('p', 'empty', 'No events.'));
    }
    var duplicates = profile.duplicates || [];
    if (duplicates.length) {
      section.appendChild(el('h3', '', 'Kept out as duplicates (' + duplicates.length + ')'));
      section.appendChild(duplicateList(duplicates));
    }
    return section;
  }

  function renderProfiles(state) {
    var container = document.getElementById('profiles');
    if (state.profiles.length === 0) {
      container.replaceChildren(el('p', 'empty', 'Nothing received yet.'));
      return;
    }
    // Keep which <details> are open across refreshes, by their position in the page.
    var open = Array.prototype.map.call(container.querySelectorAll('details'), function (d) {
      return d.open;
    });
    // The section's inner width: the container less the section's border and padding (1px + 1rem each side).
    var width = Math.max(container.clientWidth - 34, 200);
    var sections = state.profiles
      .slice()
      .reverse()
      .map(function (profile) {
        return profileSection(profile, state, width);
      });
    container.replaceChildren.apply(container, sections);
    container.querySelectorAll('details').forEach(function (d, i) {
      if (open[i]) d.open = true;
    });
  }

  function poll() {
    return fetch('/__stand-in/state', { cache: 'no-store' })
      .then(function (response) {
        return response.text();
      })
      .then(function (json) {
        if (json === lastJson) return; // keeps text selection intact while nothing changes
        lastJson = json;
        var state = JSON.parse(json);
        renderCounters(state);
        renderProfiles(state);
        document.body.setAttribute('data-rendered', String(state.requests.length));
      });
  }

  function refresh() {
    poll()
      .catch(function () {
        document.getElementById('fault').textContent = 'Stand-in not reachable.';
        lastJson = '';
      })
      .finally(function () {
        setTimeout(refresh, 1000);
      });
  }

  // A new width redraws the timelines at it.
  var lastWidth = window.innerWidth;
  window.addEventListener('resize', function () {
    if (window.innerWidth === lastWidth) return;
    lastWidth = window.innerWidth;
    lastJson = '';
    poll().catch(function () {});
  });

  setUpFaultButtons();
  refresh();
})();
