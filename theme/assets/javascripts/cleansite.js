/* cleansite: paragraph permalinks (click copies the #pN URL), "Cite" on each numbered
   paragraph (copies "10CHENGDU28 ¶9, <url>#p9"), the highlight of the paragraph a URL
   points at, also after Material's instant navigation, and the true count of results in
   Material's search box. */
(function () {
  "use strict";

  function highlight() {
    document.querySelectorAll(".cs-target").forEach(function (el) { el.classList.remove("cs-target"); });
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target) {
      target.classList.add("cs-target");
      target.scrollIntoView({ block: "start" });
    }
  }

  function notify(text) {
    var toast = document.querySelector(".cs-toast");
    if (!toast) {
      toast = document.createElement("div");
      toast.className = "cs-toast";
      toast.setAttribute("role", "status");
      toast.setAttribute("aria-live", "polite");
      document.body.appendChild(toast);
    }
    toast.textContent = text;
    toast.classList.add("is-visible");
    window.clearTimeout(toast.hideTimer);
    toast.hideTimer = window.setTimeout(function () { toast.classList.remove("is-visible"); }, 2000);
  }

  function copyWithoutClipboardApi(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    document.body.removeChild(area);
    return copied;
  }

  function copy(text, message, label) {
    var done = function () { notify(message); };
    var fallback = function () {
      notify(copyWithoutClipboardApi(text) ? message : label + text);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  }

  // "10CHENGDU28 ¶9, https://…/10CHENGDU28.html#p9": the citation of a numbered paragraph.
  function citation(paragraph) {
    var card = document.querySelector(".cable-meta[data-cable-id]");
    var number = paragraph.querySelector("a.para-link").textContent.replace(/\.\s*$/, "");
    var url = window.location.href.split("#")[0] + "#" + paragraph.id;
    return card.getAttribute("data-cable-id") + " \u00b6" + number + ", " + url;
  }

  function addCiteButtons() {
    if (!document.querySelector(".cable-meta[data-cable-id]")) return;
    document.querySelectorAll(".cable-para[id]").forEach(function (paragraph) {
      if (!paragraph.querySelector("a.para-link") || paragraph.querySelector(".cs-cite")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cs-cite";
      button.textContent = "Cite";
      button.title = "Copy a citation of paragraph " + paragraph.id.slice(1);
      paragraph.appendChild(button);
    });
  }

  document.addEventListener("click", function (event) {
    var cite = event.target.closest && event.target.closest("button.cs-cite");
    if (cite) {
      copy(citation(cite.closest(".cable-para")), "Citation copied", "Cite: ");
      return;
    }
    var link = event.target.closest && event.target.closest("a.para-link");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    var url = new URL(link.getAttribute("href"), window.location.href).href;
    window.history.replaceState(window.history.state, "", url);
    highlight();
    copy(url, "Link to this paragraph copied", "Link: ");
  });

  // Material's search box counts the results it shows; the first one (the search page) states the true count.
  function trueCount() {
    var meta = document.querySelector(".md-search-result__meta");
    var first = document.querySelector(".md-search-result__item a[href*='search.html?query='] h1");
    var match = first && /^(?:All )?(.+?) results?:/.exec(first.textContent);  // "All 12 results: …", "1 result: …"
    if (!meta || !match) return;
    var text = match[1] + " matching document" + (match[1] === "1" ? "" : "s");
    if (meta.textContent !== text) meta.textContent = text;
  }

  var results = document.querySelector(".md-search-result");
  if (results && window.MutationObserver) {
    new MutationObserver(trueCount).observe(results, { childList: true, subtree: true, characterData: true });
  }

  window.addEventListener("hashchange", highlight);
  function onPage() {
    addCiteButtons();
    highlight();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { window.setTimeout(onPage, 0); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }
})();
