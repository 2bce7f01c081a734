/* cleansite: the search page (search.html): every result with the true count, paging,
   filters (date range, origin, TAG, classification) and sorting, on the cleansite index.
   The engine runs in the page; its files are loaded with script tags (works from file://).
   The state lives in the URL (?query=&origin=&tag=&classification=&from=&to=&sort=), so a
   result list can be linked to (not "q": Material opens its own search box for that), and the cable pages' card links here. */
(function () {
  "use strict";
  var PAGE = 20;
  var root = document.getElementById("cs-search");
  if (!root) return;
  var script = document.querySelector("script[src*='cleansite-search-page.js']");
  var base = script.src.split("assets/javascripts/")[0];

  function load(url) {
    return new Promise(function (resolve) {
      var tag = document.createElement("script");
      tag.src = url;
      tag.onload = tag.onerror = function () { resolve(); };
      document.head.appendChild(tag);
    });
  }

  function el(name, attrs, children) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }

  var FIELDS = ["query", "from", "to", "origin", "tag", "classification", "sort"];
  var form = el("form", { class: "cs-search-form", role: "search" });
  var inputs = {
    query: el("input", { type: "search", name: "query", placeholder: "10 CHENGDU 28, Qadhafi, \"human rights\"…", "aria-label": "Search the cables" }),
    from: el("input", { type: "month", name: "from", "aria-label": "From month" }),
    to: el("input", { type: "month", name: "to", "aria-label": "To month" }),
    origin: el("select", { name: "origin", "aria-label": "Origin" }),
    tag: el("input", { name: "tag", list: "cs-tags", placeholder: "any TAG", "aria-label": "TAG", size: "10" }),
    classification: el("select", { name: "classification", "aria-label": "Classification" }),
    sort: el("select", { name: "sort", "aria-label": "Sort" })
  };
  [["relevance", "Relevance"], ["newest", "Newest first"], ["oldest", "Oldest first"]].forEach(function (o) {
    inputs.sort.append(el("option", { value: o[0] }, [o[1]]));
  });
  var tags = el("datalist", { id: "cs-tags" });
  var submit = el("button", { type: "submit", class: "md-button md-button--primary" }, ["Search"]);
  form.append(
    el("div", { class: "cs-search-line" }, [inputs.query, submit]),
    el("div", { class: "cs-filters" }, [
      el("label", {}, ["From ", inputs.from]), el("label", {}, ["to ", inputs.to]),
      el("label", {}, ["Origin ", inputs.origin]), el("label", {}, ["TAG ", inputs.tag, tags]),
      el("label", {}, ["Classification ", inputs.classification]), el("label", {}, ["Sort ", inputs.sort])
    ])
  );
  var status = el("p", { class: "cs-status", role: "status", "aria-live": "polite" });
  var list = el("ol", { class: "cs-results" });
  var more = el("button", { type: "button", class: "md-button cs-more", hidden: "" }, ["More results"]);
  root.append(form, status, list, more);

  var engine = null, state = {}, shown = 0, latest = 0;

  function readUrl() {
    var params = new URL(window.location.href).searchParams;
    FIELDS.forEach(function (f) { state[f] = params.get(f) || ""; inputs[f].value = state[f] || (f === "sort" ? "relevance" : ""); });
  }

  function writeUrl() {
    var url = new URL(window.location.href);
    FIELDS.forEach(function (f) { if (state[f]) url.searchParams.set(f, state[f]); else url.searchParams.delete(f); });
    window.history.replaceState(window.history.state, "", url.href);
  }

  function options(start) {
    return {
      filters: { from: state.from, to: state.to, origin: state.origin, tag: state.tag.toUpperCase(), classification: state.classification },
      sort: state.sort || "relevance", start: start, size: PAGE
    };
  }

  function filtered() { return ["from", "to", "origin", "tag", "classification"].some(function (f) { return state[f]; }); }

  function render(item) {
    var href = base + item.location + (item.terms.length ? "?h=" + encodeURIComponent(item.terms.join(" ")) : "") + (item.anchor ? "#" + item.anchor : "");
    var title = el("a", { href: href, class: "cs-result-title" }, [item.id ? item.id + " — " + item.title : item.title]);
    var meta = el("div", { class: "cs-result-meta" }, [[item.created.slice(0, 10), item.origin, item.classification, item.tags].filter(Boolean).join(" · ")]);
    var li = el("li", { class: "cs-result" }, [title, meta]);
    if (item.excerpt) {
      var text = el("div", { class: "cs-excerpt" });
      text.innerHTML = (item.anchor ? "¶" + item.anchor.replace(/^p/, "").replace(/-.*/, "") + ": " : "") + item.excerpt;  // escaped by the engine
      li.append(text);
    }
    return li;
  }

  async function run(start) {
    var mine = ++latest;
    if (!state.query.trim() && !filtered()) { status.textContent = "Type a query, or choose a filter."; list.innerHTML = ""; more.hidden = true; return; }
    status.textContent = "Searching…";
    var answer = await engine.search(state.query, options(start));
    if (mine !== latest) return;  // a newer search (another filter chosen meanwhile) owns the list
    if (start === 0) list.innerHTML = "";
    list.setAttribute("start", String(start + 1));
    answer.items.forEach(function (item) { list.append(render(item)); });
    shown = start + answer.items.length;
    var count = (answer.approximate ? "about " : "") + answer.total.toLocaleString("en");
    status.textContent = answer.total ? count + " matching document" + (answer.total === 1 ? "" : "s") +
      (answer.partial ? " (none holds every word: these hold most of them)" : "") + ", showing 1–" + shown : "No matching document.";
    more.hidden = shown >= answer.total || answer.items.length < PAGE;
  }

  function fillFacets(facets) {
    [["origin", "any origin"], ["classification", "any classification"]].forEach(function (f) {
      inputs[f[0]].append(el("option", { value: "" }, [f[1]]));
      facets[f[0]].slice().sort(function (a, b) { return a[0] < b[0] ? -1 : 1; }).forEach(function (v) {
        inputs[f[0]].append(el("option", { value: v[0] }, [v[0] + " (" + v[1] + ")"]));
      });
    });
    facets.tag.slice(0, 2000).forEach(function (v) { tags.append(el("option", { value: v[0] }, [v[0] + " (" + v[1] + ")"])); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    FIELDS.forEach(function (f) { state[f] = inputs[f].value.trim(); });
    if (state.sort === "relevance") state.sort = "";
    writeUrl();
    run(0);
  });
  ["from", "to", "origin", "classification", "sort"].forEach(function (f) {
    inputs[f].addEventListener("change", function () { form.requestSubmit(); });
  });
  more.addEventListener("click", function () { run(shown); });

  (async function start() {
    window.csSettings = function (settings) { window.cleansiteSettings = settings; };
    await load(base + "search/cleansite/settings.js");
    await load(base + "assets/javascripts/cleansite-search-engine.js");
    if (!window.cleansiteSettings || !window.CleansiteSearch) { status.textContent = "This site has no cleansite search index."; return; }
    engine = new window.CleansiteSearch.Engine(base, window.cleansiteSettings, load);
    fillFacets(await engine.facetList());
    readUrl();
    run(0);
  })();
})();
