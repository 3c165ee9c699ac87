/* policykg explorer: draws one vis-network per page, shows node details, filters, searches.
 * Every piece of document text is written with textContent, never innerHTML. */
(function () {
  "use strict";

  // Explorer-only node fields (kind, href, detail, facets, follows) are kept out of the vis
  // DataSet: vis deep-copies every field of every node, which costs seconds at 5,000 nodes.
  var state = { network: null, nodes: null, edges: null, extras: {}, fontSize: null };
  var EXTRA_FIELDS = ["kind", "href", "detail", "facets", "follows", "rank"];

  // Labels: every drawn label is LABEL_PX CSS pixels high whatever the zoom (the font is
  // rescaled as the view zooms). Candidates are the HUB_LABELS heaviest nodes and any node
  // drawn with a radius of LABEL_RADIUS_PX or more; heaviest first, a candidate is labelled
  // when its label does not overlap one already placed. Zooming in spreads the nodes, so
  // more and more of the crowd gets named. Above LABEL_POLICY_LIMIT nodes labels are left to vis.
  var LABEL_PX = 14;
  var HUB_LABELS = 30;
  var LABEL_RADIUS_PX = 11;
  var LABEL_POLICY_LIMIT = 2000;

  function splitExtras(nodeList) {
    var extras = {};
    nodeList.forEach(function (n) {
      var extra = { fullLabel: n.label, labelShown: true };
      EXTRA_FIELDS.forEach(function (key) {
        extra[key] = n[key];
        delete n[key];
      });
      extras[n.id] = extra;
    });
    return extras;
  }

  function textWidth(text, px) {
    var width = 0;
    for (var i = 0; i < text.length; i++) width += text.charCodeAt(i) > 0x2e80 ? px : px * 0.6;
    return width;
  }

  function relabel() {
    if (!state.network || state.nodes.length > LABEL_POLICY_LIMIT) return;
    var network = state.network;
    var scale = network.getScale();
    var size = LABEL_PX / scale;
    if (!(state.fontSize > 0) || Math.abs(size - state.fontSize) > 1e-3 * size) {
      state.fontSize = size;
      network.setOptions({ nodes: { font: { size: size } } });
    }
    if (!state.order) {
      state.order = state.nodes.getIds().sort(function (a, b) {
        var ra = state.extras[a].rank, rb = state.extras[b].rank;
        return (ra === undefined ? 1e9 : ra) - (rb === undefined ? 1e9 : rb);
      });
    }
    var positions = network.getPositions();
    var placed = [];
    var updates = [];
    state.order.forEach(function (id) {
      var node = state.nodes.get(id);
      var extra = state.extras[id];
      var radius = (node.size || 10) * scale;
      var show = false;
      if (!node.hidden && extra.fullLabel && positions[id] &&
          ((extra.rank !== undefined && extra.rank < HUB_LABELS) || radius >= LABEL_RADIUS_PX)) {
        var at = network.canvasToDOM(positions[id]);
        var w = textWidth(extra.fullLabel, LABEL_PX) + 4;
        var box = { x0: at.x - w / 2, x1: at.x + w / 2, y0: at.y + radius, y1: at.y + radius + LABEL_PX * 1.3 };
        show = !placed.some(function (o) { return box.x0 < o.x1 && o.x0 < box.x1 && box.y0 < o.y1 && o.y0 < box.y1; });
        if (show) placed.push(box);
      }
      if (show !== extra.labelShown) {
        extra.labelShown = show;
        updates.push({ id: id, label: show ? extra.fullLabel : "" });
      }
    });
    if (updates.length) state.nodes.update(updates);
  }

  var relabelPending = false;
  function relabelSoon() {
    if (relabelPending) return;
    relabelPending = true;
    window.requestAnimationFrame(function () {
      relabelPending = false;
      relabel();
    });
  }

  function rootPath() {
    return document.body.getAttribute("data-root") || "";
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function link(href, text) {
    var a = el("a", text);
    a.setAttribute("href", rootPath() + href);
    return a;
  }

  function showDetail(node) {
    var panel = document.getElementById("detail");
    if (!panel) return;
    var extra = state.extras[node.id] || {};
    panel.textContent = "";
    panel.setAttribute("data-node-id", node.id);
    panel.appendChild(el("h2", extra.fullLabel || node.label));
    panel.appendChild(el("p", extra.kind, "kind kind-" + extra.kind));
    if (node.title) panel.appendChild(el("p", node.title, "node-text"));
    var list = el("dl");
    (extra.detail || []).forEach(function (pair) {
      if (!pair[1]) return;
      list.appendChild(el("dt", pair[0]));
      list.appendChild(el("dd", pair[1]));
    });
    panel.appendChild(list);
    if (extra.href) {
      var open = link(extra.href, extra.kind === "agency" ? "Open this agency's page" : "Open in its document");
      open.className = "open-page";
      panel.appendChild(open);
    }
  }

  function clearDetail() {
    var panel = document.getElementById("detail");
    if (!panel) return;
    panel.textContent = "";
    panel.removeAttribute("data-node-id");
    panel.appendChild(el("p", "Click a node to see its details; double-click to open its page.", "hint"));
  }

  function activeFilters() {
    var active = {};
    document.querySelectorAll("select[data-facet]").forEach(function (select) {
      if (select.value) active[select.getAttribute("data-facet")] = select.value;
    });
    return active;
  }

  function matches(facets, active) {
    return Object.keys(active).every(function (key) {
      var values = facets[key];
      return values === undefined || values.indexOf(active[key]) >= 0;
    });
  }

  function applyFilters() {
    var active = activeFilters();
    var shown = 0;
    if (state.nodes) {
      var visible = {};
      var updates = [];
      state.nodes.forEach(function (n) {
        var facets = state.extras[n.id].facets;
        if (!facets || Object.keys(facets).length === 0) return;
        visible[n.id] = matches(facets, active);
        updates.push({ id: n.id, hidden: !visible[n.id] });
      });
      state.nodes.forEach(function (n) {
        if (!state.extras[n.id].follows) return;
        var around = state.network.getConnectedNodes(n.id);
        var show = around.some(function (id) { return visible[id] === true; }) ||
          around.every(function (id) { return visible[id] === undefined; });
        updates.push({ id: n.id, hidden: !show });
      });
      state.nodes.update(updates);
      state.nodes.forEach(function (n) { if (!n.hidden) shown += 1; });
      relabel();
    }
    var rows = 0;
    document.querySelectorAll("tr[data-facets]").forEach(function (row) {
      var ok = matches(JSON.parse(row.getAttribute("data-facets")), active);
      row.hidden = !ok;
      if (ok) rows += 1;
    });
    var status = document.getElementById("filter-status");
    if (status) {
      var parts = [];
      if (state.nodes) parts.push(shown + " of " + state.nodes.length + " nodes shown");
      if (document.querySelector("tr[data-facets]")) parts.push(rows + " rows");
      status.textContent = parts.join(", ");
    }
  }

  function bindFilters() {
    document.querySelectorAll("select[data-facet]").forEach(function (select) {
      select.addEventListener("change", applyFilters);
    });
    var reset = document.getElementById("filter-reset");
    if (reset) {
      reset.addEventListener("click", function () {
        document.querySelectorAll("select[data-facet]").forEach(function (s) { s.value = ""; });
        applyFilters();
      });
    }
  }

  function draw(container, nodeList, edgeList, options) {
    var extras = splitExtras(nodeList);
    var nodes = new vis.DataSet(nodeList);
    var edges = new vis.DataSet(edgeList);
    var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
    state = { network: network, nodes: nodes, edges: edges, extras: extras, fontSize: null, order: null };
    window.network = network;  // the console's (and the browser tests') handle on the drawing
    function markReady() {
      relabel();
      network.on("zoom", relabelSoon);
      network.on("dragEnd", relabelSoon);
      network.once("afterDrawing", function () {
        window.policykgReadyAt = performance.now();
        document.body.setAttribute("data-ready", "true");
      });
      network.redraw();
    }
    if (options.physics && options.physics.enabled) {
      // A small view settles briefly from its precomputed positions, then stays put.
      network.once("stabilizationIterationsDone", function () {
        network.setOptions({ physics: { enabled: false } });
        markReady();
      });
    } else {
      markReady();
    }
    network.on("click", function (params) {
      if (params.nodes.length) showDetail(nodes.get(params.nodes[0]));
      else clearDetail();
    });
    network.on("doubleClick", function (params) {
      if (!params.nodes.length) return;
      var href = extras[params.nodes[0]].href;
      if (href) window.location.href = rootPath() + href;
    });
    return network;
  }

  function searchResults(data, query) {
    var q = query.trim().toLowerCase();
    var found = { agencies: [], measures: [] };
    if (!q) return found;
    // An agency is found by its name or by any other name it goes by: an alias (省环保局 for
    // 省环保厅), its full name, or its name before or after a reform.
    data.agencies.forEach(function (a) {
      if (found.agencies.length >= 30) return;
      if (a.name.toLowerCase().indexOf(q) >= 0) {
        found.agencies.push({ agency: a, via: null });
        return;
      }
      var via = (a.aka || []).filter(function (o) { return o.name.toLowerCase().indexOf(q) >= 0; })[0];
      if (via) found.agencies.push({ agency: a, via: via });
    });
    data.measures.forEach(function (m) {
      if (found.measures.length < 50 &&
          (m.text.toLowerCase().indexOf(q) >= 0 || m.ref.toLowerCase() === q || m.agencies.toLowerCase().indexOf(q) >= 0)) {
        found.measures.push(m);
      }
    });
    return found;
  }

  function bindSearch() {
    var source = document.getElementById("search-data");
    var input = document.getElementById("search");
    var out = document.getElementById("search-results");
    if (!source || !input || !out) return;
    var data = JSON.parse(source.textContent);
    function render() {
      var found = searchResults(data, input.value);
      out.textContent = "";
      if (!input.value.trim()) return;
      if (!found.agencies.length && !found.measures.length) {
        out.appendChild(el("p", "Nothing matches “" + input.value.trim() + "”.", "hint"));
        return;
      }
      if (found.agencies.length) {
        out.appendChild(el("h3", "Agencies"));
        var ul = el("ul", null, "results agencies");
        found.agencies.forEach(function (hit) {
          var a = hit.agency;
          var li = el("li");
          li.appendChild(link(a.href, a.name));
          li.appendChild(el("span", " " + a.total + " measures", "muted"));
          if (hit.via) li.appendChild(el("span", " · " + hit.via.how + ": " + hit.via.name, "search-aka"));
          ul.appendChild(li);
        });
        out.appendChild(ul);
      }
      if (found.measures.length) {
        out.appendChild(el("h3", "Measures"));
        var ml = el("ul", null, "results measures");
        found.measures.forEach(function (m) {
          var li = el("li");
          li.appendChild(link(m.href, m.ref + " · " + m.doc));
          li.appendChild(el("div", m.text, "clause"));
          ml.appendChild(li);
        });
        out.appendChild(ml);
      }
    }
    input.addEventListener("input", render);
    render();
  }

  document.addEventListener("DOMContentLoaded", function () {
    bindSearch();
    bindFilters();
    clearDetail();
  });

  function readJson(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  window.PolicyExplorer = { draw: draw, readJson: readJson, showDetail: showDetail, applyFilters: applyFilters };
})();
