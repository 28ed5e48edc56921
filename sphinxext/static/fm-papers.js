/* fm-papers: search, facet and sort the paper tables of a page, in the browser.
 *
 * Progressive enhancement: the full table is in the HTML; this script only adds controls
 * to each `.fm-papers-interactive` block and hides rows that do not match. Without it,
 * every row is there. No dependencies, no network.
 *
 * Hooks written by the Sphinx extension:
 *   .fm-papers-interactive      a block to enhance (table, list or cards layout)
 *   .fm-papers-item             one paper (a table row, a list item or a card)
 *   .fm-col-<column>            a table cell or a card field holding one column's value
 *   .fm-year-2024 .fm-domain-pathology .fm-kind-model .fm-venue-kind-journal
 *                               a paper's facet values, as classes on its item
 *   .fm-papers-group            one group of a :group-by: block
 *   .fm-sort-<column>-<dir>     the block's initial order (from the directive's :sort:)
 *   data-fm-labels              the block's strings, in the page's language (JSON: search,
 *                               search-placeholder, all, clear, shown, facets, values)
 */
(function () {
  "use strict";

  var SEARCHED = ["title", "model", "venue"];
  var FACETS = ["domain", "kind", "year", "venue-kind"];

  // Every string the script shows comes from the page (the extension's translated labels).
  function labelsOf(block) {
    try {
      return JSON.parse(block.getAttribute("data-fm-labels") || "{}");
    } catch (error) {
      return {};
    }
  }
  var counter = 0;

  function text(node) {
    return node ? node.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function cell(item, column) {
    return item.querySelector(".fm-col-" + column);
  }

  function values(item, column) {
    // The renderer writes each paper's facet values as classes: fm-year-2024,
    // fm-domain-pathology (one per domain), fm-venue-kind-journal.
    var prefix = "fm-" + column + "-";
    var found = [];
    item.classList.forEach(function (name) {
      if (name.indexOf(prefix) === 0) found.push(name.slice(prefix.length));
    });
    return found;
  }

  function sortValue(item, column) {
    var raw = text(cell(item, column));
    if (raw === "") return null;
    if (column === "year") {
      var year = parseInt(raw, 10);
      return isNaN(year) ? null : year;
    }
    return raw.toLocaleLowerCase();
  }

  function compare(a, b) {
    if (a === b) return 0;
    return a < b ? -1 : 1;
  }

  function element(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function enhance(block) {
    var items = Array.prototype.slice.call(block.querySelectorAll(".fm-papers-item"));
    if (items.length === 0) return;
    var id = "fm-papers-" + (++counter);
    var labels = labelsOf(block);
    var facets = labels.facets || {};
    var names = labels.values || {};
    items.forEach(function (item, index) {
      item.fmIndex = index;
      item.fmText = SEARCHED.map(function (c) { return text(cell(item, c)); }).join(" ");
      if (!item.querySelector(".fm-col-title")) item.fmText = text(item);
      item.fmText = item.fmText.toLocaleLowerCase();
    });
    // A small block (fm_papers_filter_threshold) gets sortable headers, no filter bar.
    if (block.classList.contains("fm-papers-no-filters")) {
      block.querySelectorAll("table").forEach(function (table) { sortable(block, table); });
      return;
    }

    var search = element("input", {
      type: "search", id: id + "-search", class: "fm-papers-search",
      placeholder: labels["search-placeholder"] || "", autocomplete: "off",
    });
    var controls = element("div", { class: "fm-papers-controls", role: "search" }, [
      element("label", { for: id + "-search" }, [labels.search || ""]), search,
    ]);
    var selects = {};
    FACETS.forEach(function (column) {
      var seen = {};
      items.forEach(function (item) {
        values(item, column).forEach(function (v) { seen[v] = true; });
      });
      var options = Object.keys(seen).sort(function (a, b) {
        return column === "year" ? compare(parseInt(b, 10), parseInt(a, 10)) : compare(a, b);
      });
      if (options.length < 2) return;
      var select = element("select", { id: id + "-" + column, class: "fm-papers-facet" },
        [element("option", { value: "" }, [labels.all || ""])].concat(options.map(function (v) {
          return element("option", { value: v }, [(names[column] || {})[v] || v]);
        })));
      selects[column] = select;
      // A label and its select wrap together, as one unit.
      controls.appendChild(element("span", { class: "fm-papers-field" }, [
        element("label", { for: select.id }, [facets[column] || column]), select,
      ]));
    });
    var clear = element("button", { type: "button", class: "fm-papers-clear" }, [labels.clear || ""]);
    var count = element("p", { class: "fm-papers-count", "aria-live": "polite", role: "status" });
    controls.appendChild(clear);
    controls.appendChild(count);
    // Right after the block's caption (a list's, cards' or groups' heading), if it has one.
    var caption = block.querySelector(":scope > .fm-papers-caption");
    block.insertBefore(controls, caption ? caption.nextSibling : block.firstChild);

    function apply() {
      var words = search.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var ok = words.every(function (w) { return item.fmText.indexOf(w) !== -1; });
        Object.keys(selects).forEach(function (column) {
          var wanted = selects[column].value;
          if (ok && wanted && values(item, column).indexOf(wanted) === -1) ok = false;
        });
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      // A group (a table of its own under :group-by:) with nothing left is hidden too.
      block.querySelectorAll(".fm-papers-group").forEach(function (group) {
        group.hidden = !group.querySelector(".fm-papers-item:not([hidden])");
      });
      count.textContent = (labels.shown || "{shown} / {total}")
        .replace("{shown}", String(shown)).replace("{total}", String(items.length));
    }

    search.addEventListener("input", apply);
    Object.keys(selects).forEach(function (c) { selects[c].addEventListener("change", apply); });
    clear.addEventListener("click", function () {
      search.value = "";
      Object.keys(selects).forEach(function (c) { selects[c].value = ""; });
      apply();
      search.focus();
    });

    block.querySelectorAll("table").forEach(function (table) { sortable(block, table); });
    apply();
  }

  function initialSort(block) {
    var match = /(?:^|\s)fm-sort-([a-z-]+?)-(asc|desc)(?:\s|$)/.exec(block.className);
    return match ? { column: match[1], direction: match[2] } : null;
  }

  function sortable(block, table) {
    var body = table.tBodies[0];
    var headers = table.querySelectorAll("thead th");
    if (!body || headers.length === 0) return;
    var initial = initialSort(block);
    headers.forEach(function (th) {
      var column = null;
      th.classList.forEach(function (c) { if (c.indexOf("fm-col-") === 0) column = c.slice(7); });
      if (!column || column === "links" || column === "flags") return;
      var button = element("button", { type: "button", class: "fm-papers-sort" });
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", initial && initial.column === column
        ? (initial.direction === "asc" ? "ascending" : "descending") : "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) {
          if (other.hasAttribute("aria-sort")) other.setAttribute("aria-sort", "none");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        sortRows(body, column, ascending);
      });
    });
  }

  function sortRows(body, column, ascending) {
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = sortValue(a, column), y = sortValue(b, column);
      // Papers without a value come last in either direction, as in the directive's :sort:.
      if (x === null || y === null) {
        if (x === y) return a.fmIndex - b.fmIndex;
        return x === null ? 1 : -1;
      }
      var order = ascending ? compare(x, y) : compare(y, x);
      return order || a.fmIndex - b.fmIndex;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function start() {
    document.querySelectorAll(".fm-papers-interactive").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
