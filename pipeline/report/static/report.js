/* tradex report: tooltips on highlighted spans, and the index's sortable, filterable, paginated tables.
   Everything is built with textContent and createElement: no data is ever parsed as HTML. */
(function () {
  "use strict";

  // ---------------------------------------------------------------- tooltips (hover and keyboard focus)
  var tip = document.getElementById("tip");
  function show(el) {
    if (!tip) return;
    tip.textContent = el.getAttribute("data-tip");
    tip.hidden = false;
    var r = el.getBoundingClientRect();
    var top = window.scrollY + r.bottom + 6;
    var left = Math.max(4, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8));
    tip.style.top = top + "px";
    tip.style.left = left + "px";
    el.setAttribute("aria-describedby", "tip");
  }
  function hide(el) {
    if (!tip) return;
    tip.hidden = true;
    if (el) el.removeAttribute("aria-describedby");
  }
  function tipTarget(ev) {
    var t = ev.target;
    return t && t.closest ? t.closest("[data-tip]") : null;
  }
  document.addEventListener("mouseover", function (ev) { var el = tipTarget(ev); if (el) show(el); });
  document.addEventListener("mouseout", function (ev) { var el = tipTarget(ev); if (el) hide(el); });
  document.addEventListener("focusin", function (ev) { var el = tipTarget(ev); if (el) show(el); });
  document.addEventListener("focusout", function (ev) { var el = tipTarget(ev); if (el) hide(el); });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") hide(document.activeElement); });

  // ---------------------------------------------------------------- tables
  var data = window.TRADEX_TABLES;
  if (!data) return;
  var PAGE = 25;

  function cellText(v) {
    if (Array.isArray(v)) return v[0] == null ? "" : String(v[0]);
    return v == null ? "" : String(v);
  }

  function setup(block) {
    var name = block.getAttribute("data-table");
    var spec = data[name];
    if (!spec) return;
    var cols = spec.columns;
    var rows = spec.rows.map(function (r) {
      return { cells: r, hay: r.map(cellText).join("\u0001").toLowerCase() };
    });
    var table = block.querySelector("table");
    var tbody = table.querySelector("tbody");
    var filter = block.querySelector(".filter");
    var count = block.querySelector(".count");
    var pageLabel = block.querySelector(".page");
    var prev = block.querySelector(".prev");
    var next = block.querySelector(".next");
    var state = { sort: -1, dir: 1, page: 0, q: "", facets: {} };

    // header with sort buttons
    var tr = document.createElement("tr");
    cols.forEach(function (c, i) {
      var th = document.createElement("th");
      th.scope = "col";
      if (c[1] === "num") th.className = "num";
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = c[0];
      b.setAttribute("aria-label", "sort by " + c[0]);
      b.addEventListener("click", function () {
        state.dir = state.sort === i ? -state.dir : (c[1] === "num" ? -1 : 1);
        state.sort = i;
        state.page = 0;
        render();
      });
      th.appendChild(b);
      tr.appendChild(th);
    });
    table.querySelector("thead").appendChild(tr);

    // one select per facet column (its distinct values)
    var facets = block.querySelector(".facets");
    cols.forEach(function (c, i) {
      if (c[1] !== "facet") return;
      var values = {};
      rows.forEach(function (r) { var v = cellText(r.cells[i]); if (v) values[v] = (values[v] || 0) + 1; });
      var keys = Object.keys(values).sort();
      if (keys.length < 2) return;
      var label = document.createElement("label");
      label.textContent = c[0] + " ";
      var sel = document.createElement("select");
      sel.className = "facet";
      sel.setAttribute("data-col", String(i));
      var all = document.createElement("option");
      all.value = "";
      all.textContent = "all";
      sel.appendChild(all);
      keys.forEach(function (k) {
        var o = document.createElement("option");
        o.value = k;
        o.textContent = k + " (" + values[k] + ")";
        sel.appendChild(o);
      });
      sel.addEventListener("change", function () { state.facets[i] = sel.value; state.page = 0; render(); });
      label.appendChild(sel);
      facets.appendChild(label);
    });

    filter.addEventListener("input", function () { state.q = filter.value.trim().toLowerCase(); state.page = 0; render(); });
    prev.addEventListener("click", function () { state.page -= 1; render(); });
    next.addEventListener("click", function () { state.page += 1; render(); });

    function selected() {
      var words = state.q ? state.q.split(/\s+/) : [];
      var out = rows.filter(function (r) {
        for (var k in state.facets) {
          if (state.facets[k] && cellText(r.cells[k]) !== state.facets[k]) return false;
        }
        for (var w = 0; w < words.length; w++) if (r.hay.indexOf(words[w]) < 0) return false;
        return true;
      });
      if (state.sort >= 0) {
        var i = state.sort, num = cols[i][1] === "num", d = state.dir;
        out = out.slice().sort(function (a, b) {
          var x = a.cells[i], y = b.cells[i];
          if (num) return d * ((Number(x) || 0) - (Number(y) || 0));
          return d * cellText(x).localeCompare(cellText(y));
        });
      }
      return out;
    }

    function render() {
      var sel = selected();
      var pages = Math.max(1, Math.ceil(sel.length / PAGE));
      state.page = Math.max(0, Math.min(state.page, pages - 1));
      var frag = document.createDocumentFragment();
      sel.slice(state.page * PAGE, (state.page + 1) * PAGE).forEach(function (r) {
        var tr = document.createElement("tr");
        r.cells.forEach(function (v, i) {
          var td = document.createElement("td");
          if (cols[i][1] === "num") td.className = "num";
          if (Array.isArray(v)) {
            var a = document.createElement("a");
            a.href = v[1];
            a.textContent = v[0];
            td.appendChild(a);
          } else {
            td.textContent = v == null ? "" : String(v);
          }
          tr.appendChild(td);
        });
        frag.appendChild(tr);
      });
      tbody.textContent = "";
      tbody.appendChild(frag);
      Array.prototype.forEach.call(table.querySelectorAll("thead th"), function (th, i) {
        if (i === state.sort) th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
        else th.removeAttribute("aria-sort");
      });
      count.textContent = sel.length + " of " + rows.length + " rows";
      pageLabel.textContent = "page " + (state.page + 1) + " of " + pages;
      prev.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
    }
    render();
  }

  Array.prototype.forEach.call(document.querySelectorAll(".table-block"), setup);
})();
