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
