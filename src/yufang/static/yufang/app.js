/* yufang page behaviour. No inline scripts (the content-security policy forbids them):
 * pages describe charts with data attributes and JSON script tags, and this file draws them.
 *
 * <div class="chart" data-echarts="option-id" [data-map-name="shandong" data-map-url="..."]></div>
 * <script type="application/json" id="option-id">{ ECharts option }</script>
 * A data item with a "url" opens that page when clicked: every figure leads to its records.
 */
(function () {
  "use strict";
  var registeredMaps = {};

  function loadMap(name, url) {
    if (!name || !url) return Promise.resolve();
    if (registeredMaps[name]) return registeredMaps[name];
    registeredMaps[name] = fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geo) { echarts.registerMap(name, geo); });
    return registeredMaps[name];
  }

  function draw(el) {
    if (el.dataset.drawn) return;
    var source = document.getElementById(el.dataset.echarts);
    if (!source || typeof echarts === "undefined") return;
    el.dataset.drawn = "1";
    var option = JSON.parse(source.textContent);
    loadMap(el.dataset.mapName, el.dataset.mapUrl).then(function () {
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option);
      chart.on("click", function (params) {
        var url = params.data && params.data.url;
        if (url) window.location.href = url;
      });
      el.dataset.ready = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    }).catch(function () { el.textContent = el.dataset.errorText || "Chart failed to load"; });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-echarts]").forEach(draw);
  }

  function autosubmit(event) {
    var el = event.target;
    if (el && el.matches && el.matches("[data-autosubmit]") && el.form) el.form.requestSubmit();
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSwap", function (e) { drawAll(e.target); });
  document.addEventListener("change", autosubmit);
})();

/* The enterprise picker (enterprises/widgets/picker.html): the search box asks the server
 * for matches (HTMX); choosing one puts its id in the hidden input named after the field.
 * Typing again forgets the choice, so what is posted is always what the box shows. */
(function () {
  "use strict";

  function hiddenOf(root) {
    var hidden = root.querySelector("[data-picker-id]");
    if (!hidden) {
      var candidates = root.querySelector("[data-picker-candidates]");
      if (candidates) candidates.remove();
      hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = root.dataset.name;
      hidden.setAttribute("data-picker-id", "");
      root.prepend(hidden);
    }
    return hidden;
  }

  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest("[data-pick-id]");
    if (!option) return;
    var root = option.closest("[data-enterprise-picker]");
    if (!root) return;
    hiddenOf(root).value = option.dataset.pickId;
    var search = root.querySelector("[data-picker-search]");
    search.value = option.dataset.pickLabel;
    search.setAttribute("aria-expanded", "false");
    root.querySelector("[data-picker-results]").innerHTML = "";
    root.querySelector("[data-picker-chosen]").textContent =
      "✓ " + option.dataset.pickLabel + " · " + option.dataset.pickCode;
  });

  document.addEventListener("input", function (event) {
    var search = event.target;
    if (!search.matches || !search.matches("[data-picker-search]")) return;
    var root = search.closest("[data-enterprise-picker]");
    var hidden = root.querySelector("[data-picker-id]");
    if (hidden) hidden.value = "";
    root.querySelector("[data-picker-chosen]").textContent = "";
  });

  /* Arrow keys move between the box and the matches; Escape closes the matches. */
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    var root = el.closest && el.closest("[data-enterprise-picker]");
    if (!root) return;
    var options = Array.prototype.slice.call(root.querySelectorAll("[data-pick-id]"));
    var search = root.querySelector("[data-picker-search]");
    var at = options.indexOf(el);
    if (event.key === "ArrowDown" && options.length) {
      options[Math.min(at + 1, options.length - 1)].focus();
      event.preventDefault();
    } else if (event.key === "ArrowUp" && at >= 0) {
      (at === 0 ? search : options[at - 1]).focus();
      event.preventDefault();
    } else if (event.key === "Escape") {
      root.querySelector("[data-picker-results]").innerHTML = "";
      search.setAttribute("aria-expanded", "false");
      search.focus();
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var results = event.target;
    if (!results.matches || !results.matches("[data-picker-results]")) return;
    var root = results.closest("[data-enterprise-picker]");
    root.querySelector("[data-picker-search]").setAttribute(
      "aria-expanded", results.children.length ? "true" : "false");
  });
  /* A form carries the CSRF token of the moment its page was drawn. Signing in on another tab,
   * or a background request that starts a new token after a session ended, replaces the cookie,
   * and the form would be refused. On submit the form takes the cookie's current token, which
   * Django accepts as it is, so the person's work is not lost to a "forbidden" page. */
  document.addEventListener("submit", function (event) {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    var input = event.target.querySelector && event.target.querySelector("input[name=csrfmiddlewaretoken]");
    if (match && input) input.value = decodeURIComponent(match[1]);
  }, true);
})();
