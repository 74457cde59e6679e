/* The field app's service worker, served at /field/sw.js (scope /field/) by field.views.pwa,
 * which puts `self.FIELD = {version, shell, pageCache, userHeader, start, login}` before this
 * text.
 *
 * - The app shell (styles, scripts, icons, the manifest) is cached on install and served
 *   from the cache first.
 * - Pages under /field/ go to the network first and are kept in their user's page cache when
 *   they answer; with no network the cached copy is served (the page of a task opened or
 *   prefetched by the today page while there was signal), and for a page never cached the
 *   today page, which says it is offline.
 * - The API is never cached: results go through the outbox (field.js), not through here.
 */
/* global self, caches, fetch, Response */
"use strict";

var CONFIG = self.FIELD;
var SHELL_CACHE = "yufang-field-shell-" + CONFIG.version;
var NETWORK_WAIT_MS = 6000;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then(function (cache) { return cache.addAll(CONFIG.shell); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("yufang-field-shell-") === 0 && name !== SHELL_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isShell(url) {
  return CONFIG.shell.indexOf(url.pathname) >= 0 || url.pathname.indexOf("/static/") === 0;
}

function fromShell(request) {
  return caches.match(request, { cacheName: SHELL_CACHE }).then(function (hit) {
    return hit || fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(SHELL_CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
  });
}

function withTimeout(promise, ms) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, ms);
    promise.then(function (value) { clearTimeout(timer); resolve(value); },
      function (error) { clearTimeout(timer); reject(error); });
  });
}

/* The pages are kept per user ("<pageCache>-<user id>", the user named by the page's
 * X-Field-User header): a page answered for one user drops every other user's pages, and an
 * answer saying nobody is signed in (the sign-in page, 401, 403) drops them all, so a phone
 * passed to someone else never serves the previous user's enterprises offline. */
function isPageCache(name) { return name.indexOf(CONFIG.pageCache) === 0; }

function dropPages(except) {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return isPageCache(name) && name !== except;
    }).map(function (name) { return caches.delete(name); }));
  });
}

function keptPage(key) {
  return caches.keys().then(function (names) {
    var mine = names.filter(function (name) { return name.indexOf(CONFIG.pageCache + "-") === 0; });
    if (mine.length !== 1) return null;  // none kept, or whose they are is unclear: serve none
    return caches.open(mine[0]).then(function (cache) {
      return cache.match(key).then(function (hit) {
        return hit || cache.match(new URL(CONFIG.start, self.location.origin).href);
      });
    });
  });
}

function page(request) {
  var url = new URL(request.url);
  var key = url.origin + url.pathname;
  return withTimeout(fetch(request), NETWORK_WAIT_MS).then(function (response) {
    var signIn = response.redirected && new URL(response.url).pathname === CONFIG.login;
    var user = response.headers.get(CONFIG.userHeader);
    if (response.ok && response.type === "basic" && !signIn && user) {
      var name = CONFIG.pageCache + "-" + user;
      var copy = response.clone();
      dropPages(name)
        .then(function () { return caches.open(name); })
        .then(function (cache) { return cache.put(key, copy); });
    } else if (signIn || response.status === 401 || response.status === 403) {
      dropPages(null);
    }
    return response;
  }).catch(function () {
    return keptPage(key).then(function (hit) {
      return hit || new Response(CONFIG.offlineText, {
        status: 503,
        headers: { "Content-Type": "text/plain; charset=utf-8" }
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) return;
  if (isShell(url)) {
    event.respondWith(fromShell(request));
  } else if (url.pathname.indexOf(CONFIG.scope) === 0 && url.pathname !== CONFIG.swPath) {
    event.respondWith(page(request));
  }
});
