// The Raft trace viewer: a space-time diagram of one trace, drawn on a canvas.
//
// Time runs left to right, one column per event (the trace's order is the only clock it has); each node has a
// lane, banded by its role and labelled with its term. Messages are arrows from the Persist that put them into
// the network to the event that received or dropped them; which copy of equal messages an event took was
// decided by the generator (first in, first out; docs/trace-viewer.md).
//
// Only the visible columns are drawn, so the cost of a frame grows with the window, not with the trace. Text
// from the trace is only ever put into the page as text (textContent, canvas fillText), never as markup.
(function () {
  'use strict';

  var report = document.getElementById('render-report');
  var started = performance.now();
  try {
    main();
  } catch (err) {
    report.dataset.status = 'error: ' + (err && err.message ? err.message : String(err));
    throw err;
  }

  function main() {
    var data = JSON.parse(document.getElementById('trace-data').textContent);
    var events = data.events;
    var N = events.length;
    var members = data.members;
    var L = members.length;
    var flights = data.flights;
    var failure = data.failure;

    // ---- Colours -------------------------------------------------------------------------------------------
    var ACTION_COLOR = {
      Timeout: '#e040a0', UpdateTerm: '#ef6c00', HandleRequestVoteRequest: '#1f5fbf',
      HandleRequestVoteResponse: '#6a9fe0', BecomeLeader: '#c99400', ClientRequest: '#8d5524',
      AppendEntries: '#2e7d32', HandleAppendEntriesRequest: '#00897b', HandleAppendEntriesResponse: '#7cb342',
      AdvanceCommitIndex: '#1b5e20', Persist: '#78909c', Restart: '#d32f2f', DropMessage: '#d32f2f',
      DuplicateMessage: '#7b1fa2'
    };
    var ACTIONS = Object.keys(ACTION_COLOR);
    var ROLES = ['Follower', 'Candidate', 'Leader'];
    var ROLE_BAND = ['#eceff1', '#d6eafc', '#ffe9a8'];
    var ROLE_OVERVIEW = ['#cfd8dc', '#64b5f6', '#ffb300'];
    var MESSAGE_COLOR = {
      RequestVoteRequest: '#1f5fbf', RequestVoteResponse: '#6a9fe0',
      AppendEntriesRequest: '#2e7d32', AppendEntriesResponse: '#00897b'
    };
    var HEARTBEAT_COLOR = { AppendEntriesRequest: '#a5d6a7', AppendEntriesResponse: '#9fd3cc' };

    // ---- The trace, indexed --------------------------------------------------------------------------------
    // Events are numbered 1..N as the validator numbers them; ev(k) is event k.
    function ev(k) { return events[k - 1]; }

    var laneOfNode = {};
    members.forEach(function (m, i) { laneOfNode[m] = i; });
    // A node step sits on its node's lane; a network event (drop, duplicate) on the lane of the message's
    // receiver, the node it concerns (TraceEvent.owner() on the Java side).
    var eventLane = new Int16Array(N + 1);
    for (var k = 1; k <= N; k++) {
      var e = ev(k);
      eventLane[k] = laneOfNode[e.node || e.msg.to];
    }

    // Role and term of every lane after every event (index 0: the initial state), and the segments of equal
    // role and term that the bands are drawn from. A Restart carries no state: the node is a follower again,
    // in the term it last persisted.
    var roleAt = [], termAt = [], segments = [];
    var role = [], term = [], durableTerm = [];
    for (var l = 0; l < L; l++) {
      roleAt.push(new Uint8Array(N + 1));
      termAt.push(new Int32Array(N + 1));
      segments.push([{ start: 0, role: 0, term: 0, restart: false }]);
      role.push(0); term.push(0); durableTerm.push(0);
    }
    for (k = 1; k <= N; k++) {
      e = ev(k);
      if (e.node) {
        l = laneOfNode[e.node];
        var restart = e.action === 'Restart';
        var newRole = role[l], newTerm = term[l];
        if (restart) {
          newRole = 0; newTerm = durableTerm[l];
        } else {
          newRole = ROLES.indexOf(e.state.role); newTerm = e.state.currentTerm;
          if (e.action === 'Persist') durableTerm[l] = e.state.currentTerm;
        }
        if (restart || newRole !== role[l] || newTerm !== term[l]) {
          segments[l].push({ start: k, role: newRole, term: newTerm, restart: restart });
        }
        role[l] = newRole; term[l] = newTerm;
      }
      for (l = 0; l < L; l++) { roleAt[l][k] = role[l]; termAt[l][k] = term[l]; }
    }

    // Which flights each event touches, and how: the side panel lists them, the drawing highlights them.
    var related = new Array(N + 1);
    function relate(k, id, how) {
      if (k > 0) (related[k] || (related[k] = [])).push({ id: id, how: how });
    }
    var consumedAt = new Int32Array(N + 1).fill(-1);
    flights.forEach(function (f, id) {
      relate(f.c, id, f.d >= 0 ? 'duplicated' : 'produced');
      if (f.s > 0 && f.d < 0) relate(f.s, id, 'sent');
      if (f.l > 0) relate(f.l, id, 'looked');
      if (f.e > 0) relate(f.e, id, f.f);
      if (f.e > 0 && (f.f === 'received' || f.f === 'dropped')) consumedAt[f.e] = id;
    });
    // A heartbeat is an AppendEntriesRequest without entries; its response is one produced by the handler that
    // consumed a heartbeat. Both can be hidden, since they are most of the arrows of a quiet cluster.
    var heartbeat = new Uint8Array(flights.length);
    flights.forEach(function (f, id) {
      if (f.m.type === 'AppendEntriesRequest') {
        heartbeat[id] = f.m.entries.length === 0 ? 1 : 0;
      } else if (f.m.type === 'AppendEntriesResponse' && f.d < 0 && consumedAt[f.c] >= 0) {
        heartbeat[id] = heartbeat[consumedAt[f.c]];
      }
    });
    flights.forEach(function (f, id) { if (f.d >= 0) heartbeat[id] = heartbeat[f.d]; });

    // Where each arrow starts and ends (event positions); null for copies that never entered the network.
    function sendPoint(f) {
      if (f.d >= 0) return sendPoint(flights[f.d]);
      return f.s > 0 ? f.s : f.c;
    }
    var arrows = [];
    flights.forEach(function (f, id) {
      var end;
      if (f.f === 'received' || f.f === 'dropped') end = f.e;
      else if (f.f === 'in_flight_at_end') end = N + 2;
      else return; // lost in an outbox: never in the network, listed in the panel only
      var style = f.f === 'dropped' ? 'dropped'
        : f.f === 'in_flight_at_end' ? 'inflight'
        : f.s === 0 ? 'unsent'
        : f.d >= 0 ? 'dup' : 'normal';
      arrows.push({ id: id, from: sendPoint(f), to: end, a: laneOfNode[f.m.from], b: laneOfNode[f.m.to],
        style: style, color: heartbeat[id] ? HEARTBEAT_COLOR[f.m.type] : MESSAGE_COLOR[f.m.type] });
    });

    var anomalies = {};
    data.anomalies.forEach(function (a) { (anomalies[a.index] || (anomalies[a.index] = [])).push(a.text); });

    // ---- Page furniture ------------------------------------------------------------------------------------
    function el(tag, className, text) {
      var node = document.createElement(tag);
      if (className) node.className = className;
      if (text !== undefined && text !== null) node.textContent = String(text);
      return node;
    }
    function link(k, text) {
      var b = el('button', 'link', text || ('#' + k));
      b.type = 'button';
      b.addEventListener('click', function () { select(k, true); });
      return b;
    }
    function byId(id) { return document.getElementById(id); }

    document.title = 'Raft trace: ' + data.name;
    byId('title').textContent = 'Raft trace ' + data.name;
    byId('origin').textContent = 'origin: ' + data.origin + ' · members ' + members.join(', ')
      + ' · at most ' + data.maxEntriesPerAppend + ' entries per AppendEntries';
    var fates = { received: 0, dropped: 0, lost_at_restart: 0, in_flight_at_end: 0, unsent_at_end: 0 };
    var duplicates = 0;
    flights.forEach(function (f) { fates[f.f]++; if (f.d >= 0) duplicates++; });
    byId('summary').textContent = N + ' events on ' + L + ' nodes · ' + flights.length + ' message copies: '
      + fates.received + ' received, ' + fates.dropped + ' dropped, ' + duplicates + ' made by duplication, '
      + fates.lost_at_restart + ' lost in an outbox at a restart, ' + fates.in_flight_at_end
      + ' still in the network at the end';

    if (failure) {
      byId('failure').hidden = false;
      var fe = ev(failure.index);
      byId('failure-title').textContent = 'Validation failed at event ' + failure.index + ' of ' + N + ': '
        + fe.action + (fe.node ? ' on node ' + fe.node : '') + ' (' + where(failure.index) + ')';
      byId('failure-text').textContent = failure.text;
      byId('goto-failure').hidden = false;
    }
    if (data.anomalies.length) {
      byId('anomalies').hidden = false;
      byId('anomalies-title').textContent = data.anomalies.length
        + ' events the network cannot account for (the spec would reject each):';
      data.anomalies.slice(0, 50).forEach(function (a) {
        var li = el('li');
        li.appendChild(link(a.index));
        li.appendChild(document.createTextNode(' ' + ev(a.index).action + ': ' + a.text));
        byId('anomaly-list').appendChild(li);
      });
    }

    var legend = byId('legend');
    legend.appendChild(el('h3', null, 'events'));
    ACTIONS.forEach(function (a) {
      var item = el('span', 'item');
      var sw = el('span', 'swatch');
      sw.style.background = ACTION_COLOR[a];
      item.appendChild(sw);
      item.appendChild(document.createTextNode(a));
      legend.appendChild(item);
    });
    legend.appendChild(el('h3', null, 'roles'));
    ROLES.forEach(function (r, i) {
      var item = el('span', 'item');
      var sw = el('span', 'swatch band');
      sw.style.background = ROLE_BAND[i];
      item.appendChild(sw);
      item.appendChild(document.createTextNode(r));
      legend.appendChild(item);
    });
    legend.appendChild(el('h3', null, 'messages'));
    Object.keys(MESSAGE_COLOR).forEach(function (t) {
      var item = el('span', 'item');
      var sw = el('span', 'swatch line');
      sw.style.background = MESSAGE_COLOR[t];
      item.appendChild(sw);
      item.appendChild(document.createTextNode(t));
      legend.appendChild(item);
    });
    [['line dashed', 'dropped (ends in ✕)'], ['line dup', 'copy made by DuplicateMessage'],
      ['line', 'heartbeat (pale)'], ['line', 'received before sent (red)'], ['line', 'in flight at end (grey)']]
      .forEach(function (pair, i) {
        var item = el('span', 'item');
        var sw = el('span', 'swatch ' + pair[0]);
        if (i === 2) sw.style.background = HEARTBEAT_COLOR.AppendEntriesRequest;
        if (i === 3) sw.style.background = '#d32f2f';
        if (i === 4) sw.style.background = '#9e9e9e';
        item.appendChild(sw);
        item.appendChild(document.createTextNode(pair[1]));
        legend.appendChild(item);
      });

    // ---- Geometry ------------------------------------------------------------------------------------------
    var MARGIN_L = 24, MARGIN_R = 80, TOP = 22, BOTTOM = 14;
    var laneH = 60;         // set by layout() from the height available
    var BAND = 20;
    var canvasH = TOP + L * laneH + BOTTOM;
    var scroller = byId('scroller'), track = byId('track'), canvas = byId('canvas');
    var overview = byId('overview');
    var ctx = canvas.getContext('2d');
    var px = 14;            // pixels per event column
    var viewW = 800;        // CSS width of the canvas
    var selected = 0;       // selected event, 0 for none
    var showHeartbeats = true, showArrows = true;

    function laneY(l) { return TOP + l * laneH + laneH / 2; }
    function cx(k) { return MARGIN_L + (k - 0.5) * px - scroller.scrollLeft; }
    function boundary(k) { return MARGIN_L + k * px - scroller.scrollLeft; }
    function fitPx() { return Math.max(0.02, (viewW - MARGIN_L - MARGIN_R) / Math.max(N, 1)); }

    var labels = byId('lane-labels');
    var laneLabels = members.map(function (m) {
      var label = el('div', 'lane-label', 'n' + m);
      label.dataset.node = String(m);
      label.appendChild(el('small', null, 'node ' + m));
      labels.appendChild(label);
      return label;
    });

    // Lanes share the height left over by the overview and the legend, within limits that keep them readable.
    function layout() {
      var spare = byId('diagram').clientHeight - overview.offsetHeight - legend.offsetHeight - TOP - BOTTOM - 20;
      laneH = Math.max(44, Math.min(120, Math.floor(spare / L)));
      canvasH = TOP + L * laneH + BOTTOM;
      labels.style.height = canvasH + 'px';
      laneLabels.forEach(function (label, i) { label.style.top = laneY(i) + 'px'; });
      viewW = Math.max(200, scroller.clientWidth);
      var dpr = window.devicePixelRatio || 1;
      canvas.width = Math.round(viewW * dpr);
      canvas.height = Math.round(canvasH * dpr);
      canvas.style.width = viewW + 'px';
      canvas.style.height = canvasH + 'px';
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      track.style.width = (MARGIN_L + N * px + MARGIN_R) + 'px';
      track.style.height = canvasH + 'px';
      overviewImage = null;
    }

    // ---- Drawing -------------------------------------------------------------------------------------------
    function visibleRange() {
      var sl = scroller.scrollLeft;
      var first = Math.max(1, Math.floor((sl - MARGIN_L) / px));
      var last = Math.min(N, Math.ceil((sl + viewW - MARGIN_L) / px) + 1);
      return [first, last];
    }

    function draw() {
      var range = visibleRange(), first = range[0], last = range[1];
      ctx.clearRect(0, 0, viewW, canvasH);
      drawBands(first, last);
      if (failure) drawColumn(failure.index, 'rgba(211, 47, 47, 0.16)', Math.max(px, 6));
      if (selected) drawColumn(selected, 'rgba(21, 88, 176, 0.08)', Math.max(px, 3));
      var drawnArrows = showArrows ? drawArrows(first, last) : 0;
      var drawnMarks = drawMarks(first, last);
      drawHighlights();
      report.dataset.first = String(first);
      report.dataset.last = String(last);
      report.dataset.drawnMarks = String(drawnMarks);
      report.dataset.drawnArrows = String(drawnArrows);
      report.dataset.px = px.toFixed(3);
      byId('position').textContent = 'events ' + first + '–' + last + ' of ' + N
        + (px >= 1 ? ' · ' + px.toFixed(px < 10 ? 1 : 0) + ' px per event'
          : ' · ' + (1 / px).toFixed(1) + ' events per px');
      drawOverview();
    }

    function drawBands(first, last) {
      ctx.font = '10px system-ui, sans-serif';
      ctx.textBaseline = 'alphabetic';
      for (var l = 0; l < L; l++) {
        var y = laneY(l), segs = segments[l];
        ctx.fillStyle = '#e3e7eb';
        ctx.fillRect(0, y - 0.5, viewW, 1);
        var lastLabelX = -1e9;
        for (var s = 0; s < segs.length; s++) {
          var seg = segs[s];
          var end = s + 1 < segs.length ? segs[s + 1].start : N + 1;
          if (end < first - 1 || seg.start > last) continue;
          var x0 = Math.max(boundary(seg.start), -2), x1 = Math.min(boundary(end), viewW + 2);
          if (x1 <= x0) continue;
          ctx.fillStyle = ROLE_BAND[seg.role];
          ctx.fillRect(x0, y - BAND / 2, x1 - x0, BAND);
          var termChanged = s === 0 || seg.term !== segs[s - 1].term || seg.restart;
          var text = 't' + seg.term + (x1 - x0 > 70 ? ' ' + ROLES[seg.role] : '');
          var labelX = Math.max(x0, 0) + 2;
          if ((termChanged || x1 - x0 > 70) && labelX - lastLabelX > 22) {
            ctx.fillStyle = seg.role === 2 ? '#7a5a00' : '#37474f';
            ctx.fillText(text, labelX, y - BAND / 2 - 3);
            lastLabelX = labelX + ctx.measureText(text).width;
          }
        }
      }
    }

    function drawColumn(k, color, width) {
      ctx.fillStyle = color;
      ctx.fillRect(cx(k) - width / 2, 0, width, canvasH);
    }

    // Arrows are batched by style: one path per style keeps a frame of thousands of arrows cheap.
    function drawArrows(first, last) {
      var batches = {};
      var count = 0;
      for (var i = 0; i < arrows.length; i++) {
        var a = arrows[i];
        if (Math.max(a.from, a.to) < first - 1 || Math.min(a.from, a.to) > last + 1) continue;
        if (!showHeartbeats && heartbeat[a.id]) continue;
        var key = a.style + '|' + a.color;
        (batches[key] || (batches[key] = [])).push(a);
        count++;
      }
      // Zoomed out, thousands of arrows overlap: faint lines keep the marks and bands readable underneath.
      ctx.globalAlpha = px < 1 ? 0.22 : px < 3 ? 0.5 : 1;
      Object.keys(batches).forEach(function (key) { strokeArrows(batches[key], 1); });
      ctx.globalAlpha = 1;
      return count;
    }

    function strokeArrows(list, weight) {
      var a0 = list[0];
      var color = a0.style === 'dropped' || a0.style === 'unsent' ? '#d32f2f'
        : a0.style === 'inflight' ? '#9e9e9e' : a0.color;
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = (a0.style === 'unsent' ? 2.2 : 1.1) * weight;
      ctx.setLineDash(a0.style === 'dropped' ? [5, 3] : a0.style === 'dup' ? [2, 3]
        : a0.style === 'inflight' ? [1, 3] : []);
      ctx.beginPath();
      var heads = [];
      list.forEach(function (a) {
        var x0 = cx(a.from), y0 = laneY(a.a), x1 = cx(a.to), y1 = laneY(a.b);
        if (a.style === 'dropped') y1 -= (y1 > y0 ? 1 : -1) * 7; // stop short of the lane: it never arrived
        ctx.moveTo(x0, y0);
        ctx.lineTo(x1, y1);
        heads.push([x0, y0, x1, y1, a.style]);
      });
      ctx.stroke();
      ctx.setLineDash([]);
      if (px < 2 && weight === 1) return;
      ctx.beginPath();
      heads.forEach(function (h) {
        var dx = h[2] - h[0], dy = h[3] - h[1], len = Math.sqrt(dx * dx + dy * dy) || 1;
        var ux = dx / len, uy = dy / len, size = 6 * weight;
        if (h[4] === 'dropped') return;
        ctx.moveTo(h[2], h[3]);
        ctx.lineTo(h[2] - ux * size - uy * size * 0.45, h[3] - uy * size + ux * size * 0.45);
        ctx.lineTo(h[2] - ux * size + uy * size * 0.45, h[3] - uy * size - ux * size * 0.45);
        ctx.closePath();
      });
      ctx.fill();
    }

    function drawMarks(first, last) {
      var count = 0;
      var r = Math.max(1.5, Math.min(5, px * 0.36));
      for (var k = first; k <= last; k++) {
        var e = ev(k), x = cx(k), y = laneY(eventLane[k]);
        ctx.fillStyle = ACTION_COLOR[e.action];
        ctx.strokeStyle = ACTION_COLOR[e.action];
        count++;
        if (px < 2.5 && e.action !== 'Restart' && e.action !== 'BecomeLeader') {
          ctx.fillRect(x - 0.5, y - 5, 1, 10);
          continue;
        }
        switch (e.action) {
          case 'Restart':
            ctx.fillRect(x - 1.5, y - BAND / 2 - 10, 3, BAND + 20);
            break;
          case 'DropMessage':
            ctx.lineWidth = 2;
            ctx.beginPath();
            ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y + r);
            ctx.moveTo(x + r, y - r); ctx.lineTo(x - r, y + r);
            ctx.stroke();
            break;
          case 'DuplicateMessage':
            ctx.beginPath();
            ctx.moveTo(x, y - r - 1); ctx.lineTo(x + r + 1, y); ctx.lineTo(x, y + r + 1); ctx.lineTo(x - r - 1, y);
            ctx.closePath(); ctx.fill();
            break;
          case 'Persist':
            ctx.fillRect(x - r * 0.75, y - r * 0.75, r * 1.5, r * 1.5);
            break;
          case 'Timeout':
            ctx.beginPath();
            ctx.moveTo(x, y - r - 1); ctx.lineTo(x + r + 1, y + r); ctx.lineTo(x - r - 1, y + r);
            ctx.closePath(); ctx.fill();
            break;
          case 'BecomeLeader':
            star(x, y, Math.max(r + 2, 4));
            break;
          default:
            ctx.beginPath();
            ctx.arc(x, y, r, 0, 2 * Math.PI);
            ctx.fill();
        }
      }
      return count;
    }

    function star(x, y, r) {
      ctx.beginPath();
      for (var i = 0; i < 10; i++) {
        var rad = i % 2 === 0 ? r : r * 0.45, ang = -Math.PI / 2 + i * Math.PI / 5;
        ctx.lineTo(x + rad * Math.cos(ang), y + rad * Math.sin(ang));
      }
      ctx.closePath();
      ctx.fill();
    }

    function ring(k, color, width, radius) {
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.beginPath();
      ctx.arc(cx(k), laneY(eventLane[k]), radius, 0, 2 * Math.PI);
      ctx.stroke();
    }

    // The failing event, the anomalies in view, and the selected event with its messages drawn bold on top.
    function drawHighlights() {
      var range = visibleRange();
      for (var k = range[0]; k <= range[1]; k++) {
        if (anomalies[k]) ring(k, '#e0a800', 2, 8);
      }
      if (failure) {
        ring(failure.index, '#c62828', 2.5, 10);
        ctx.fillStyle = '#b71c1c';
        ctx.font = 'bold 11px system-ui, sans-serif';
        ctx.fillText('✗ event ' + failure.index, cx(failure.index) + 8, 12);
      }
      if (selected) {
        if (showArrows) {
          (related[selected] || []).forEach(function (rel) {
            var a = arrowOf[rel.id];
            if (a) strokeArrows([a], 2.4);
          });
        }
        ring(selected, '#1558b0', 2.5, 9);
      }
    }
    var arrowOf = {};
    arrows.forEach(function (a) { arrowOf[a.id] = a; });

    // ---- Overview strip: the whole trace, one column per pixel, roles by lane ------------------------------
    var overviewImage = null;
    function drawOverview() {
      var w = Math.max(100, overview.clientWidth), h = 40;
      var dpr = window.devicePixelRatio || 1;
      if (!overviewImage) {
        overview.width = Math.round(w * dpr);
        overview.height = Math.round(h * dpr);
        overviewImage = document.createElement('canvas');
        overviewImage.width = overview.width;
        overviewImage.height = overview.height;
        var o = overviewImage.getContext('2d');
        o.setTransform(dpr, 0, 0, dpr, 0, 0);
        var rowH = (h - 6) / L;
        for (var col = 0; col < w; col++) {
          var k0 = Math.floor(col * N / w) + 1, k1 = Math.max(k0, Math.floor((col + 1) * N / w));
          for (var l = 0; l < L; l++) {
            var best = 0;
            for (var k = k0; k <= k1 && k <= N; k++) if (roleAt[l][k] > best) best = roleAt[l][k];
            o.fillStyle = ROLE_OVERVIEW[best];
            o.fillRect(col, 3 + l * rowH, 1, Math.max(1, rowH - 1));
          }
        }
        o.fillStyle = '#d32f2f';
        for (l = 0; l < L; l++) {
          segments[l].forEach(function (s) {
            if (s.restart) o.fillRect((s.start - 1) * w / N, 3 + l * rowH, 1.5, rowH - 1);
          });
        }
        o.fillStyle = '#e0a800';
        data.anomalies.forEach(function (a) { o.fillRect((a.index - 1) * w / N, 0, 2, h); });
        if (failure) {
          o.fillStyle = '#c62828';
          o.fillRect((failure.index - 1) * w / N - 1, 0, 3, h);
        }
      }
      var c = overview.getContext('2d');
      c.setTransform(1, 0, 0, 1, 0, 0);
      c.clearRect(0, 0, overview.width, overview.height);
      c.drawImage(overviewImage, 0, 0);
      c.setTransform(dpr, 0, 0, dpr, 0, 0);
      var range = visibleRange();
      var x0 = (range[0] - 1) * w / N, x1 = range[1] * w / N;
      c.strokeStyle = '#1558b0';
      c.lineWidth = 1.5;
      c.strokeRect(x0, 1, Math.max(3, x1 - x0), h - 2);
    }

    // ---- The side panel ------------------------------------------------------------------------------------
    function where(k) {
      return data.files[data.eventFile[k - 1]] + ' line ' + data.eventLine[k - 1];
    }

    function describe(m) {
      var s = m.type + ' ' + m.from + '→' + m.to + ' term ' + m.term;
      switch (m.type) {
        case 'RequestVoteRequest': return s + ', last log (term ' + m.lastLogTerm + ', index ' + m.lastLogIndex + ')';
        case 'RequestVoteResponse': return s + (m.voteGranted ? ', granted' : ', refused');
        case 'AppendEntriesRequest':
          return s + ', prev (' + m.prevLogIndex + ', term ' + m.prevLogTerm + '), '
            + (m.entries.length ? m.entries.length + ' entries' : 'heartbeat') + ', commit ' + m.leaderCommit;
        default:
          return s + (m.success ? ', success, match ' + m.matchIndex
            : ', failure, conflict (term ' + m.conflictTerm + ', index ' + m.conflictIndex + ')');
      }
    }

    // What became of a copy, with links to the events involved.
    function fateLine(li, f) {
      function add(text) { li.appendChild(document.createTextNode(text)); }
      if (f.s > 0 && f.d < 0) { add(' · sent at '); li.appendChild(link(f.s)); }
      if (f.d >= 0) { add(' · copy of the one sent at '); li.appendChild(link(sendPoint(f))); }
      if (f.s === 0 && f.f === 'received') add(' · never sent');
      switch (f.f) {
        case 'received': add(' · received by node ' + f.m.to + ' at '); li.appendChild(link(f.e)); break;
        case 'dropped': add(' · dropped at '); li.appendChild(link(f.e)); break;
        case 'lost_at_restart': add(' · lost from the outbox at the restart '); li.appendChild(link(f.e)); break;
        case 'in_flight_at_end': add(' · still in the network when the trace ends'); break;
        default: add(' · still in the outbox when the trace ends');
      }
      if (f.l > 0) { add(' (term seen by UpdateTerm '); li.appendChild(link(f.l)); add(')'); }
    }

    var HOW = {
      produced: 'put into the outbox', sent: 'sent (outbox to network)', looked: 'looked at',
      received: 'received', dropped: 'dropped', duplicated: 'duplicated', lost_at_restart: 'lost at restart'
    };

    function showPanel(k) {
      var panel = byId('panel');
      panel.textContent = '';
      var e = ev(k);
      var h = el('h2');
      var dot = el('span', 'action-dot');
      dot.style.background = ACTION_COLOR[e.action];
      h.appendChild(dot);
      h.appendChild(document.createTextNode('#' + k + ' ' + e.action + (e.node ? ' on node ' + e.node : '')));
      panel.appendChild(h);
      panel.appendChild(el('p', null, where(k) + ' · event ' + k + ' of ' + N));
      if (failure && failure.index === k) {
        var box = el('div', 'failure');
        box.appendChild(el('strong', null, 'Validation stopped here'));
        box.appendChild(el('pre', null, failure.text));
        panel.appendChild(box);
      }
      (anomalies[k] || []).forEach(function (text) {
        panel.appendChild(el('div', 'anomaly', 'Network: ' + text));
      });

      var rel = related[k] || [];
      if (rel.length) {
        panel.appendChild(el('h3', null, 'Messages'));
        var ul = el('ul');
        rel.forEach(function (r) {
          var f = flights[r.id];
          var li = el('li');
          li.appendChild(el('strong', null, HOW[r.how] + ': '));
          li.appendChild(document.createTextNode(describe(f.m) + ' (produced at '));
          li.appendChild(link(f.c));
          li.appendChild(document.createTextNode(')'));
          fateLine(li, f);
          ul.appendChild(li);
        });
        panel.appendChild(ul);
      }

      var fields = {};
      ['peer', 'value', 'recv', 'sent', 'msg'].forEach(function (name) {
        if (e[name] !== undefined) fields[name] = e[name];
      });
      if (Object.keys(fields).length) {
        panel.appendChild(el('h3', null, 'Fields'));
        var fieldTable = el('table');
        Object.keys(fields).forEach(function (name) {
          var tr = el('tr'), td = el('td');
          tr.appendChild(el('th', null, name));
          var value = fields[name];
          if (value && value.type) td.appendChild(el('div', null, describe(value)));
          td.appendChild(el('pre', null, JSON.stringify(value)));
          tr.appendChild(td);
          fieldTable.appendChild(tr);
        });
        panel.appendChild(fieldTable);
      }

      panel.appendChild(el('h3', null, 'State after the step'));
      if (e.state) {
        var s = e.state, table = el('table');
        var logLength = s.log.length ? s.log[s.log.length - 1][1] : 0;
        var runs = s.log.map(function (run, i) {
          var from = i === 0 ? 1 : s.log[i - 1][1] + 1;
          return 'term ' + run[0] + ': ' + (from === run[1] ? from : from + '–' + run[1]);
        });
        var rows = [['role', s.role], ['currentTerm', s.currentTerm], ['votedFor', s.votedFor || 'none'],
          ['commitIndex', s.commitIndex], ['log', logLength + ' entries' + (runs.length ? ' (' + runs.join('; ') + ')' : '')]];
        if (s.nextIndex) rows.push(['nextIndex', perPeer(s.nextIndex)], ['matchIndex', perPeer(s.matchIndex)]);
        if (s.votes) rows.push(['votes', s.votes.join(', ')]);
        rows.forEach(function (row) {
          var tr = el('tr');
          tr.appendChild(el('th', null, row[0]));
          tr.appendChild(el('td', null, row[1]));
          table.appendChild(tr);
        });
        panel.appendChild(table);
      } else if (e.action === 'Restart') {
        var l = eventLane[k];
        panel.appendChild(el('p', null, 'A Restart carries no state: node ' + e.node + ' comes back as a follower'
          + ' from its durable state (term ' + termAt[l][k] + ', as of its last Persist), with commitIndex 0 and'
          + ' an empty outbox.'));
      } else {
        panel.appendChild(el('p', null, 'A network event changes no node.'));
      }

      var lane = eventLane[k], prev = 0, next = 0;
      for (var p = k - 1; p >= 1; p--) if (eventLane[p] === lane) { prev = p; break; }
      for (var q = k + 1; q <= N; q++) if (eventLane[q] === lane) { next = q; break; }
      var nav = el('p');
      nav.appendChild(document.createTextNode('lane of node ' + members[lane] + ': '));
      if (prev) { nav.appendChild(link(prev, '← #' + prev + ' ' + ev(prev).action)); }
      if (prev && next) nav.appendChild(document.createTextNode(' · '));
      if (next) { nav.appendChild(link(next, '#' + next + ' ' + ev(next).action + ' →')); }
      panel.appendChild(nav);

      var details = el('details');
      details.appendChild(el('summary', null, 'the event as recorded'));
      details.appendChild(el('pre', null, JSON.stringify(e)));
      panel.appendChild(details);
    }

    function perPeer(map) {
      return Object.keys(map).map(function (peer) { return peer + ': ' + map[peer]; }).join(', ');
    }

    // ---- Interaction ---------------------------------------------------------------------------------------
    function reveal(k) {
      var x = cx(k);
      if (x < 60 || x > viewW - 60) scroller.scrollLeft = MARGIN_L + (k - 0.5) * px - viewW / 2;
    }

    function select(k, scroll) {
      if (k < 1 || k > N) return;
      selected = k;
      report.dataset.selected = String(k);
      showPanel(k);
      if (scroll) reveal(k);
      draw();
    }

    function zoomTo(newPx, anchorX) {
      newPx = Math.max(fitPx(), Math.min(40, newPx));
      if (anchorX === undefined) anchorX = viewW / 2;
      var anchorK = (scroller.scrollLeft + anchorX - MARGIN_L) / px;
      px = newPx;
      track.style.width = (MARGIN_L + N * px + MARGIN_R) + 'px';
      scroller.scrollLeft = MARGIN_L + anchorK * px - anchorX;
      draw();
    }

    function hit(x, y) {
      var lane = Math.floor((y - TOP) / laneH);
      if (lane < 0 || lane >= L) return 0;
      var centre = Math.round((x + scroller.scrollLeft - MARGIN_L) / px + 0.5);
      var reach = Math.max(1, Math.ceil(8 / px)), best = 0, bestD = Infinity;
      for (var k = Math.max(1, centre - reach); k <= Math.min(N, centre + reach); k++) {
        if (eventLane[k] !== lane) continue;
        var d = Math.abs(cx(k) - x);
        if (d < bestD) { bestD = d; best = k; }
      }
      return bestD <= Math.max(px / 2, 8) ? best : 0;
    }

    var pending = false;
    function redrawSoon() {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () { pending = false; draw(); });
    }

    scroller.addEventListener('scroll', redrawSoon);
    window.addEventListener('resize', function () { layout(); zoomTo(px); });
    canvas.addEventListener('click', function (event) {
      var rect = canvas.getBoundingClientRect();
      var k = hit(event.clientX - rect.left, event.clientY - rect.top);
      if (k) select(k, false);
    });
    scroller.addEventListener('wheel', function (event) {
      if (event.ctrlKey || event.metaKey) {
        event.preventDefault();
        var rect = canvas.getBoundingClientRect();
        zoomTo(px * (event.deltaY < 0 ? 1.25 : 0.8), event.clientX - rect.left);
      } else if (Math.abs(event.deltaY) > Math.abs(event.deltaX)) {
        event.preventDefault();
        scroller.scrollLeft += event.deltaY;
      }
    }, { passive: false });
    function overviewJump(event) {
      var rect = overview.getBoundingClientRect();
      var k = Math.round((event.clientX - rect.left) / rect.width * N) + 1;
      scroller.scrollLeft = MARGIN_L + (k - 0.5) * px - viewW / 2;
    }
    overview.addEventListener('mousedown', function (event) {
      overviewJump(event);
      function move(ev2) { overviewJump(ev2); }
      function up() { window.removeEventListener('mousemove', move); window.removeEventListener('mouseup', up); }
      window.addEventListener('mousemove', move);
      window.addEventListener('mouseup', up);
    });
    byId('zoom-in').addEventListener('click', function () { zoomTo(px * 1.5); });
    byId('zoom-out').addEventListener('click', function () { zoomTo(px / 1.5); });
    byId('zoom-fit').addEventListener('click', function () { zoomTo(fitPx()); });
    byId('goto').max = String(N);
    byId('goto').addEventListener('change', function () {
      var k = parseInt(byId('goto').value, 10);
      if (k >= 1 && k <= N) select(k, true);
    });
    function step(direction, sameLane) {
      var k = selected || (direction > 0 ? 0 : N + 1);
      do { k += direction; } while (sameLane && selected && k >= 1 && k <= N && eventLane[k] !== eventLane[selected]);
      select(k, true);
    }
    byId('prev').addEventListener('click', function () { step(-1, false); });
    byId('next').addEventListener('click', function () { step(1, false); });
    byId('goto-failure').addEventListener('click', function () { if (failure) select(failure.index, true); });
    byId('show-heartbeats').addEventListener('change', function () { showHeartbeats = this.checked; draw(); });
    byId('show-arrows').addEventListener('change', function () { showArrows = this.checked; draw(); });
    document.addEventListener('keydown', function (event) {
      if (event.target && event.target.tagName === 'INPUT') return;
      if (event.key === 'ArrowRight') { step(1, event.shiftKey); event.preventDefault(); }
      else if (event.key === 'ArrowLeft') { step(-1, event.shiftKey); event.preventDefault(); }
      else if (event.key === '+' || event.key === '=') zoomTo(px * 1.5);
      else if (event.key === '-') zoomTo(px / 1.5);
      else if (event.key === 'f' && failure) select(failure.index, true);
    });

    // ---- Start ---------------------------------------------------------------------------------------------
    // The address may ask for a view: #event=N selects event N, #fit shows the whole trace, #zoom=PX sets the
    // pixels per event, #bench measures frames (below); for instance trace.html#fit&event=120.
    var hash = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (part) {
      var eq = part.indexOf('=');
      if (part) hash[eq < 0 ? part : part.slice(0, eq)] = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    });
    layout();
    px = 'fit' in hash ? fitPx() : Math.min(40, Math.max(fitPx(), parseFloat(hash.zoom) || 14));
    layout();
    var first = parseInt(hash.event, 10);
    if (first >= 1 && first <= N) {
      select(first, true);
    } else if (failure) {
      select(failure.index, true);
    } else {
      draw();
    }
    report.dataset.initialDrawnMarks = report.dataset.drawnMarks;

    report.dataset.lanes = String(labels.querySelectorAll('.lane-label').length);
    report.dataset.events = String(N);
    report.dataset.flights = String(flights.length);
    report.dataset.arrows = String(arrows.length);
    report.dataset.anomalies = String(data.anomalies.length);
    report.dataset.failureIndex = failure ? String(failure.index) : '';
    report.dataset.initMs = (performance.now() - started).toFixed(1);
    if ('bench' in hash) bench();
    report.dataset.status = 'ok';

    // Frame times at 60 positions across the trace, at the starting zoom and with the whole trace in view, and
    // the side panel of every event: docs/trace-viewer.md quotes them. Run by opening the page with #bench;
    // the browser test reads them but asserts only that every panel was built.
    function bench() {
      var times = [], total = MARGIN_L + N * px + MARGIN_R - viewW;
      for (var i = 0; i < 60; i++) {
        scroller.scrollLeft = total * i / 59;
        var t0 = performance.now();
        draw();
        times.push(performance.now() - t0);
      }
      zoomTo(fitPx());
      var t1 = performance.now();
      draw();
      var fit = performance.now() - t1;
      // The side panel of every event: exercises each of its branches the trace has, and times it.
      var t2 = performance.now();
      for (var k = 1; k <= N; k++) showPanel(k);
      var panels = performance.now() - t2;
      if (selected) showPanel(selected);
      report.dataset.benchFrameMsAvg = (times.reduce(function (a, b) { return a + b; }, 0) / times.length).toFixed(2);
      report.dataset.benchFrameMsMax = Math.max.apply(null, times).toFixed(2);
      report.dataset.benchFitFrameMs = fit.toFixed(2);
      report.dataset.benchPanels = String(N);
      report.dataset.benchPanelMsAvg = (panels / N).toFixed(3);
    }
  }
})();
