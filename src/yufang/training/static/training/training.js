/* Training pages' behaviour (no inline scripts: the content-security policy forbids them).
 *
 * Lessons: <div data-lesson-heartbeat="URL" data-beat="15" data-kind="text|image|video">
 *   beats while the page is visible (a video: while it plays); the server measures the time.
 * Lists of people: <input data-filter-list="ID"> hides the rows of #ID whose text does not match;
 *   <input type=checkbox data-select-all="ID"> ticks every visible checkbox of #ID.
 * Tables with class table-cards: each cell gets its column's header as data-label, which
 *   training.css shows before the value when the table reads as cards on a phone.
 */
(function () {
  "use strict";
  if (window.yufangTraining) return;
  window.yufangTraining = true;

  function csrfToken(root) {
    var input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function heartbeat(el) {
    var url = el.dataset.lessonHeartbeat;
    var every = (parseInt(el.dataset.beat, 10) || 15) * 1000;
    var video = el.querySelector("video");
    var followed = el.querySelector("[data-lesson-followed]");
    var done = el.querySelector("[data-lesson-done]");
    var button = el.querySelector("[data-lesson-complete]");
    var finished = false;

    function active() {
      if (document.visibilityState !== "visible") return false;
      if (el.dataset.kind === "video") return video && !video.paused && !video.ended;
      return true;
    }

    function beat() {
      if (finished || !active()) return;
      var body = new FormData();
      body.append("csrfmiddlewaretoken", csrfToken(el));
      if (video) body.append("position", String(Math.floor(video.currentTime || 0)));
      fetch(url, { method: "POST", body: body, credentials: "same-origin",
                   headers: { "X-CSRFToken": csrfToken(el) } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (p) {
          if (!p) return;
          if (followed) followed.textContent = String(Math.floor(p.seconds_followed / 60));
          if (p.completed) {
            finished = true;
            if (done) done.classList.remove("d-none");
            if (button) button.disabled = false;
          }
        })
        .catch(function () { /* the next beat tries again */ });
    }

    beat();
    window.setInterval(beat, every);
    if (video) video.addEventListener("play", beat);
    document.addEventListener("visibilitychange", beat);
  }

  function filterList(input) {
    var list = document.getElementById(input.dataset.filterList);
    if (!list) return;
    var words = input.value.trim().toLowerCase();
    list.querySelectorAll("[data-row]").forEach(function (row) {
      var hit = !words || row.textContent.toLowerCase().indexOf(words) >= 0;
      row.classList.toggle("d-none", !hit);
    });
  }

  function selectAll(box) {
    var list = document.getElementById(box.dataset.selectAll);
    if (!list) return;
    list.querySelectorAll("[data-row]").forEach(function (row) {
      if (row.classList.contains("d-none")) return;
      row.querySelectorAll("input[type=checkbox]").forEach(function (c) { c.checked = box.checked; });
    });
  }

  function labelCells(table) {
    var heads = [].map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr, tfoot tr").forEach(function (tr) {
      [].forEach.call(tr.children, function (td, i) {
        if (!td.hasAttribute("data-label") && heads[i] && !td.hasAttribute("colspan")) {
          td.setAttribute("data-label", heads[i]);
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-lesson-heartbeat]").forEach(heartbeat);
    document.querySelectorAll("table.table-cards").forEach(labelCells);
  });
  document.addEventListener("input", function (e) {
    if (e.target.matches && e.target.matches("[data-filter-list]")) filterList(e.target);
  });
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("[data-select-all]")) selectAll(e.target);
  });
})();
