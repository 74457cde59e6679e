/* The grid worker's field app: works with no signal.
 *
 * - Registers the service worker (/field/sw.js, scope /field/), which keeps the app shell and
 *   the pages of today's and the week's tasks so a reload with no network still shows them.
 * - A screening form is not posted: its result (and a hazard found, with photos as data URLs)
 *   goes into the outbox, an IndexedDB store on the phone, each entry with an idempotency key
 *   made here. The outbox is sent to POST /api/v1/field/sync when the phone is online: on
 *   load, on the `online` event, and from the "sync now" button. The server answers per entry
 *   (done, already synced, conflict, refused) and the outbox shows each answer; a conflict is
 *   shown with the server's message and kept until the worker dismisses it.
 * - Location comes from navigator.geolocation with its accuracy.
 * - Signing out clears the phone (the pages kept, the caches, this user's outbox) after
 *   offering to sync what is still waiting; the pages are kept per user, so another user
 *   signing in on the phone never sees the previous one's.
 * No inline script (the content-security policy forbids it): texts come from a JSON script
 * tag rendered in the page's language, data from data- attributes.
 */
(function () {
  "use strict";

  var body = document.body;
  var TEXTS = {};
  var textsTag = document.getElementById("field-texts");
  if (textsTag) TEXTS = JSON.parse(textsTag.textContent);
  function t(key) { return TEXTS[key] || key; }

  var USER = body.dataset.fieldUser || "";
  var SYNC_URL = body.dataset.syncUrl;
  var DB_NAME = "yufang-field";
  var STORE = "outbox";
  // A request body stays under the server's 5 MB limit: entries are sent in batches.
  var BATCH_BYTES = 3 * 1024 * 1024;
  var BATCH_ENTRIES = 200;
  var PHOTO_MAX_SIDE = 1600;
  var SENT_KEEP_MS = 3 * 24 * 3600 * 1000;

  /* ---------------------------------------------------------------- the outbox (IndexedDB) */

  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var open = indexedDB.open(DB_NAME, 1);
        open.onupgradeneeded = function () {
          var store = open.result.createObjectStore(STORE, { keyPath: "key" });
          store.createIndex("user", "user");
        };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return dbPromise;
  }

  function tx(mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var transaction = database.transaction(STORE, mode);
        var store = transaction.objectStore(STORE);
        var result = work(store);
        transaction.oncomplete = function () {
          resolve(result instanceof IDBRequest ? result.result : result);
        };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  function entries() {
    return tx("readonly", function (store) { return store.index("user").getAll(USER); })
      .then(function (all) {
        return all.sort(function (a, b) { return a.queuedAt < b.queuedAt ? -1 : 1; });
      });
  }

  function put(entry) { return tx("readwrite", function (store) { store.put(entry); }); }
  function putAll(list) {
    return tx("readwrite", function (store) { list.forEach(function (e) { store.put(e); }); });
  }
  function remove(key) { return tx("readwrite", function (store) { store.delete(key); }); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  /* Queue one entry: `payload` is what the API takes for it (see field/api.py, EntryIn). */
  function enqueue(payload, label) {
    var entry = {
      key: payload.key,
      user: USER,
      kind: payload.kind,
      taskId: payload.task_id || null,
      label: label,
      payload: payload,
      state: "queued",
      message: "",
      notes: [],
      queuedAt: new Date().toISOString()
    };
    return put(entry);
  }

  /* ------------------------------------------------------------------------------ sync */

  var syncing = null;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function batches(list) {
    var out = [], current = [], size = 0;
    list.forEach(function (entry) {
      var bytes = JSON.stringify(entry.payload).length;
      if (current.length && (size + bytes > BATCH_BYTES || current.length >= BATCH_ENTRIES)) {
        out.push(current);
        current = [];
        size = 0;
      }
      current.push(entry);
      size += bytes;
    });
    if (current.length) out.push(current);
    return out;
  }

  function send(batch) {
    return fetch(SYNC_URL, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ entries: batch.map(function (e) { return e.payload; }) })
    }).then(function (response) {
      if (response.status === 401 || response.status === 403) {
        throw { signIn: true };
      }
      if (!response.ok) throw { status: response.status };
      return response.json();
    }).then(function (answer) {
      var byKey = {};
      answer.results.forEach(function (r) { byKey[r.key] = r; });
      var now = new Date().toISOString();
      batch.forEach(function (entry) {
        var r = byKey[entry.key];
        if (!r) return;
        entry.state = r.status;
        entry.message = r.message || "";
        entry.notes = r.notes || [];
        entry.field = r.field || "";
        entry.syncedAt = now;
        if (r.status === "done" || r.status === "replayed") {
          entry.payload = { key: entry.key, kind: entry.kind };  // the photos are on the server now
        }
      });
      return putAll(batch);
    });
  }

  function sync() {
    if (syncing) return syncing;
    if (!navigator.onLine) {
      render();
      return Promise.resolve();
    }
    setStatus(t("syncing"), "info");
    syncing = entries().then(function (all) {
      var waiting = all.filter(function (e) { return e.state === "queued"; });
      var chain = Promise.resolve();
      batches(waiting).forEach(function (batch) {
        chain = chain.then(function () { return send(batch); });
      });
      return chain;
    }).then(function () {
      setStatus("", "");
    }).catch(function (problem) {
      if (problem && problem.signIn) setStatus(t("sign_in_to_sync"), "warning");
      else setStatus(t("sync_failed"), "warning");
    }).then(function () {
      syncing = null;
      return render();
    });
    return syncing;
  }

  /* --------------------------------------------------------------------- the outbox list */

  var STATE_CLASS = {
    queued: "bg-secondary-lt",
    done: "bg-green-lt",
    replayed: "bg-green-lt",
    conflict: "bg-red-lt",
    invalid: "bg-orange-lt"
  };

  function setStatus(text, level) {
    var el = document.querySelector("[data-sync-status]");
    if (!el) return;
    el.textContent = text;
    el.className = text ? "alert alert-" + level + " py-2" : "d-none";
  }

  function prune(all) {
    var cutoff = Date.now() - SENT_KEEP_MS;
    var gone = all.filter(function (e) {
      return (e.state === "done" || e.state === "replayed") && Date.parse(e.syncedAt) < cutoff;
    });
    return Promise.all(gone.map(function (e) { return remove(e.key); })).then(function () {
      return all.filter(function (e) { return gone.indexOf(e) < 0; });
    });
  }

  function render() {
    var panel = document.querySelector("[data-field-outbox]");
    return entries().then(prune).then(function (all) {
      markTasks(all);
      if (!panel) return;
      var list = panel.querySelector("[data-outbox-list]");
      list.textContent = "";
      var waiting = 0;
      all.slice().reverse().forEach(function (entry) {
        if (entry.state === "queued") waiting += 1;
        var li = document.createElement("li");
        li.className = "list-group-item";
        li.dataset.outboxEntry = entry.key;
        li.dataset.state = entry.state;
        var head = document.createElement("div");
        head.className = "d-flex justify-content-between gap-2";
        var label = document.createElement("span");
        label.className = "text-truncate";
        label.textContent = entry.label;
        var badge = document.createElement("span");
        badge.className = "badge " + (STATE_CLASS[entry.state] || "");
        badge.dataset.testid = "outbox-state";
        badge.textContent = t("state_" + entry.state);
        head.appendChild(label);
        head.appendChild(badge);
        li.appendChild(head);
        var lines = [];
        if (entry.message) lines.push(entry.message);
        (entry.notes || []).forEach(function (n) { lines.push(n); });
        lines.forEach(function (line) {
          var p = document.createElement("div");
          p.className = "small " + (entry.state === "conflict" ? "text-danger" : "text-secondary");
          p.textContent = line;
          li.appendChild(p);
        });
        if (entry.state === "conflict" || entry.state === "invalid") {
          var dismiss = document.createElement("button");
          dismiss.type = "button";
          dismiss.className = "btn btn-sm btn-link px-0";
          dismiss.dataset.dismiss = entry.key;
          dismiss.textContent = t("dismiss");
          li.appendChild(dismiss);
        }
        list.appendChild(li);
      });
      panel.classList.toggle("d-none", all.length === 0);
      var count = panel.querySelector("[data-outbox-waiting]");
      if (count) count.textContent = waiting ? t("waiting").replace("%(n)s", waiting) : "";
      var button = panel.querySelector("[data-sync-now]");
      if (button) button.disabled = waiting === 0;
    });
  }

  /* A task with an entry on the phone says so, even on a page cached before it was done. */
  function markTasks(all) {
    var byTask = {};
    all.forEach(function (e) { if (e.taskId && e.kind === "screening") byTask[e.taskId] = e; });
    document.querySelectorAll("[data-task-id]").forEach(function (card) {
      var entry = byTask[card.dataset.taskId];
      var mark = card.querySelector("[data-task-local]");
      if (!mark) return;
      mark.textContent = entry ? t("task_" + entry.state) : "";
      mark.className = entry ? "badge " + (STATE_CLASS[entry.state] || "") : "d-none";
    });
  }

  document.addEventListener("click", function (event) {
    var dismiss = event.target.closest && event.target.closest("[data-dismiss]");
    if (dismiss) {
      remove(dismiss.dataset.dismiss).then(render);
      return;
    }
    if (event.target.closest && event.target.closest("[data-sync-now]")) sync();
  });

  /* ------------------------------------------------------------------------- sign out */

  /* Signing out leaves nothing of this user on the phone: the pages kept (enterprises'
   * contacts), the app's caches and this user's outbox. Results never synced are not dropped
   * unasked: the worker is told how many and syncs them first, or deletes them knowingly. */

  function waitingCount() {
    return entries().then(function (all) {
      return all.filter(function (e) { return e.state === "queued"; }).length;
    });
  }

  function clearOutbox() {
    var left = { n: 0 };
    return tx("readwrite", function (store) {
      var request = store.index("user").getAllKeys(USER);
      request.onsuccess = function () {
        request.result.forEach(function (key) { store.delete(key); });
        var count = store.count();
        count.onsuccess = function () { left.n = count.result; };
      };
    }).then(function () {
      // Another user's entries (signed out without this page) stay theirs; otherwise the
      // database itself goes.
      if (left.n > 0) return null;
      return db().then(function (database) {
        database.close();
        dbPromise = null;
        return new Promise(function (resolve) {
          var request = indexedDB.deleteDatabase(DB_NAME);
          request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
        });
      });
    });
  }

  function clearCaches() {
    if (!("caches" in window)) return Promise.resolve();
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("yufang-field-") === 0;
      }).map(function (name) { return caches.delete(name); }));
    });
  }

  function clearPhone() {
    try { localStorage.removeItem("yufang-field-user"); } catch (e) { /* no storage */ }
    return clearOutbox().then(clearCaches);
  }

  function signOutForm() { return document.querySelector("[data-field-signout]"); }

  function warning() { return document.querySelector("[data-signout-warning]"); }

  function warn(text) {
    var box = warning();
    if (!box) return;
    box.querySelector("[data-signout-text]").textContent = text;
    box.classList.remove("d-none");
    var discard = box.querySelector("[data-signout-discard]");
    if (discard) delete discard.dataset.armed;
    box.scrollIntoView({ block: "nearest" });
  }

  function signOut() {
    var form = signOutForm();
    setStatus(t("signout_clearing"), "info");
    // The sign-out happens even if the phone refuses to clear (private mode, quota).
    return clearPhone().catch(function () { /* signed out all the same */ }).then(function () {
      form.dataset.cleared = "1";
      form.submit();
    });
  }

  function onSignOut(event) {
    var form = event.target.closest && event.target.closest("[data-field-signout]");
    if (!form || form.dataset.cleared === "1" || !window.indexedDB) return;
    event.preventDefault();
    waitingCount().then(function (n) {
      if (n > 0) warn(t("signout_waiting").replace("%(n)s", n));
      else signOut();
    }).catch(signOut);
  }

  document.addEventListener("submit", onSignOut);

  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    if (event.target.closest("[data-signout-cancel]")) {
      warning().classList.add("d-none");
    } else if (event.target.closest("[data-signout-sync]")) {
      sync().then(waitingCount).then(function (n) {
        if (n > 0) warn(t("signout_offline").replace("%(n)s", n));
        else signOut();
      });
    } else if (event.target.closest("[data-signout-discard]")) {
      var button = event.target.closest("[data-signout-discard]");
      waitingCount().then(function (n) {
        if (n > 0 && button.dataset.armed !== "1") {
          warn(t("signout_discard").replace("%(n)s", n));
          button.dataset.armed = "1";  // a second tap deletes: never on one slip of the thumb
        } else {
          signOut();
        }
      });
    }
  });

  /* ------------------------------------------------------------------ network and caching */

  function showNetwork() {
    var el = document.querySelector("[data-field-network]");
    if (!el) return;
    el.textContent = navigator.onLine ? t("online") : t("offline");
    el.className = "badge " + (navigator.onLine ? "bg-white text-green" : "bg-orange text-white");
    el.dataset.online = navigator.onLine ? "1" : "0";
    var banner = document.querySelector("[data-offline-banner]");
    if (banner) banner.classList.toggle("d-none", navigator.onLine);
  }

  window.addEventListener("online", function () { showNetwork(); sync(); });
  window.addEventListener("offline", showNetwork);

  /* The pages of today's and the week's tasks go into the cache while there is signal. */
  function cachePages() {
    var tag = document.getElementById("field-cache-urls");
    if (!tag || !("caches" in window) || !navigator.onLine) return Promise.resolve();
    var urls = JSON.parse(tag.textContent);
    return caches.open(body.dataset.pageCache).then(function (cache) {
      return Promise.all(urls.map(function (url) {
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (response.ok && !response.redirected) return cache.put(url, response);
        }).catch(function () { /* kept as it was */ });
      }));
    }).then(function () {
      body.dataset.pagesCached = "1";
    });
  }

  /* Another account on this phone: the pages kept for anyone else are not theirs to read
   * (the service worker drops them too, on the first page it fetches for this user). */
  function forgetOtherAccount() {
    try { localStorage.removeItem("yufang-field-user"); } catch (e) { /* no storage */ }
    if (!("caches" in window)) return Promise.resolve();
    var prefix = body.dataset.pageCaches, own = body.dataset.pageCache;
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return prefix && name.indexOf(prefix) === 0 && name !== own;
      }).map(function (name) { return caches.delete(name); }));
    });
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator) || !body.dataset.swUrl) return Promise.resolve();
    return navigator.serviceWorker.register(body.dataset.swUrl, { scope: body.dataset.swScope })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function () { body.dataset.swReady = "1"; })
      .catch(function () { /* the pages still work online */ });
  }

  /* -------------------------------------------------------------------- task ordering */

  function distanceM(lat1, lng1, lat2, lng2) {
    var r = 6371000, rad = Math.PI / 180;
    var dLat = (lat2 - lat1) * rad, dLng = (lng2 - lng1) * rad;
    var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) * Math.sin(dLng / 2);
    return 2 * r * Math.asin(Math.sqrt(a));
  }

  function formatDistance(m) {
    return m < 1000 ? t("metres").replace("%(n)s", Math.round(m))
      : t("kilometres").replace("%(n)s", (m / 1000).toFixed(1));
  }

  /* Nearest first: the page is cached, so the order is made here from the phone's place. */
  function orderByDistance(position) {
    document.querySelectorAll("[data-task-list]").forEach(function (list) {
      var cards = Array.prototype.slice.call(list.querySelectorAll(":scope > [data-task-id]"));
      cards.forEach(function (card) {
        var lat = parseFloat(card.dataset.lat), lng = parseFloat(card.dataset.lng);
        card.dataset.distance = isNaN(lat) || isNaN(lng) ? "" :
          String(distanceM(position.coords.latitude, position.coords.longitude, lat, lng));
        var label = card.querySelector("[data-distance]");
        if (label && card.dataset.distance) label.textContent = formatDistance(+card.dataset.distance);
      });
      cards.sort(function (a, b) {
        var da = a.dataset.distance === "" ? Infinity : +a.dataset.distance;
        var dbb = b.dataset.distance === "" ? Infinity : +b.dataset.distance;
        return da - dbb;
      });
      cards.forEach(function (card) { list.appendChild(card); });
    });
  }

  /* ---------------------------------------------------------------- location and photos */

  var lastPosition = null;

  function locate() {
    return new Promise(function (resolve) {
      if (!navigator.geolocation) return resolve(null);
      navigator.geolocation.getCurrentPosition(function (position) {
        lastPosition = position;
        resolve(position);
      }, function () { resolve(null); }, {
        enableHighAccuracy: true, timeout: 15000, maximumAge: 60000
      });
    });
  }

  function showLocation(position) {
    var el = document.querySelector("[data-location-status]");
    if (!el) return;
    if (!position) {
      el.textContent = t("no_location");
      el.className = "small text-warning";
      return;
    }
    var c = position.coords;
    var text = t("location").replace("%(lat)s", c.latitude.toFixed(5))
      .replace("%(lng)s", c.longitude.toFixed(5));
    text += " · " + (c.accuracy == null ? t("no_accuracy")
      : t("accuracy").replace("%(n)s", Math.round(c.accuracy)));
    var form = document.querySelector("[data-field-screening]");
    if (form && form.dataset.lat && form.dataset.lng) {
      text += " · " + t("from_enterprise").replace("%(d)s", formatDistance(
        distanceM(c.latitude, c.longitude, +form.dataset.lat, +form.dataset.lng)));
    }
    el.textContent = text;
    el.className = "small text-secondary";
  }

  /* A photo is kept on the phone as a JPEG data URL, at most 1600 px a side. */
  function readPhoto(file) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsDataURL(file);
    }).then(function (dataUrl) {
      if (!/^data:image\//.test(dataUrl)) return dataUrl;  // the server says what is wrong
      return new Promise(function (resolve) {
        var img = new Image();
        img.onload = function () {
          var scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(img.width, img.height));
          if (scale === 1 && dataUrl.length < 1500000) return resolve(dataUrl);
          var canvas = document.createElement("canvas");
          canvas.width = Math.round(img.width * scale);
          canvas.height = Math.round(img.height * scale);
          canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
          resolve(canvas.toDataURL("image/jpeg", 0.8));
        };
        img.onerror = function () { resolve(dataUrl); };
        img.src = dataUrl;
      });
    });
  }

  function readPhotos(input) {
    if (!input || !input.files) return Promise.resolve([]);
    return Promise.all(Array.prototype.map.call(input.files, readPhoto));
  }

  /* ------------------------------------------------------------------ the screening form */

  function formValue(form, name) {
    var el = form.elements[name];
    return el ? (el.value || "").trim() : "";
  }

  function screeningPayloads(form) {
    var coords = lastPosition ? lastPosition.coords : null;
    var place = coords ? {
      latitude: coords.latitude.toFixed(6),
      longitude: coords.longitude.toFixed(6),
      accuracy_m: coords.accuracy == null ? null : Math.round(coords.accuracy * 10) / 10
    } : { latitude: null, longitude: null, accuracy_m: null };
    var doneAt = new Date().toISOString();
    var answers = {};
    form.querySelectorAll("[data-answer]:checked").forEach(function (el) {
      answers[el.dataset.answer] = el.value;
    });
    // A fresh key for each entry queued: the outbox entry keeps it for every resend.
    var screeningKey = newKey();
    return readPhotos(form.elements.photos).then(function (photos) {
      var list = [Object.assign({
        key: screeningKey,
        kind: "screening",
        task_id: +form.dataset.taskId,
        done_at: doneAt,
        answers: answers,
        note: formValue(form, "note"),
        photos: photos
      }, place)];
      var found = form.elements.hazard_found;
      if (!found || !found.checked) return list;
      return readPhotos(form.elements.hazard_photo).then(function (hazardPhotos) {
        list.push(Object.assign({
          key: newKey(),
          screening_key: screeningKey,
          kind: "hazard",
          task_id: +form.dataset.taskId,
          enterprise_id: +form.dataset.enterpriseId,
          done_at: doneAt,
          topic: formValue(form, "topic"),
          level: formValue(form, "level"),
          description: formValue(form, "description"),
          location: formValue(form, "hazard_location"),
          photos: hazardPhotos
        }, place));
        return list;
      });
    });
  }

  function onScreeningSubmit(event) {
    var form = event.target.closest && event.target.closest("[data-field-screening]");
    if (!form || !window.indexedDB) return;  // without IndexedDB the form posts as it is
    event.preventDefault();
    var button = form.querySelector("[type=submit]");
    if (button) button.disabled = true;
    var label = form.dataset.enterpriseName;
    var wait = lastPosition ? Promise.resolve(lastPosition) : locate();
    wait.then(function () { return screeningPayloads(form); }).then(function (list) {
      var chain = Promise.resolve();
      list.forEach(function (payload) {
        var text = payload.kind === "hazard" ? t("hazard_at").replace("%(name)s", label) : label;
        chain = chain.then(function () { return enqueue(payload, text); });
      });
      return chain;
    }).then(function () {
      window.location.href = form.dataset.after;
    }).catch(function () {
      if (button) button.disabled = false;
      setStatus(t("not_saved"), "danger");
    });
  }

  document.addEventListener("submit", onScreeningSubmit);

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.name === "hazard_found") {
      var part = document.querySelector("[data-hazard-part]");
      if (part) part.classList.toggle("d-none", !el.checked);
    }
    if (el.type === "file" && el.dataset.preview) {
      var box = document.getElementById(el.dataset.preview);
      if (!box) return;
      box.textContent = "";
      readPhotos(el).then(function (photos) {
        photos.forEach(function (src) {
          if (!/^data:image\//.test(src)) return;
          var img = document.createElement("img");
          img.src = src;
          img.className = "field-thumb";
          img.alt = "";
          box.appendChild(img);
        });
      });
    }
  });

  /* ------------------------------------------------------------------------------ start */

  document.addEventListener("DOMContentLoaded", function () {
    showNetwork();
    var part = document.querySelector("[data-hazard-part]");
    var found = document.querySelector("[name=hazard_found]");
    if (part && found) part.classList.toggle("d-none", !found.checked);
    if (document.querySelector("[data-field-screening]")) {
      locate().then(showLocation);
    } else if (document.querySelector("[data-task-list]")) {
      locate().then(function (p) { if (p) orderByDistance(p); });
    }
    forgetOtherAccount()
      .then(registerWorker)
      .then(cachePages)
      .then(render)
      .then(sync)
      .then(function () { body.dataset.fieldReady = "1"; });
  });

  // For the browser tests and a curious worker: what the phone holds.
  window.yufangField = { entries: entries, sync: sync, render: render, clearPhone: clearPhone };
})();
