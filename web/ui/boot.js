// Inlined into index.html's <head> by vite.config.ts (with PAGES replaced by each page's chunk files), so it runs
// before the app bundle is even requested: it preloads the chunks of the page the URL shows and, for the live
// map, starts the graph request. src/map/prefetch.ts picks the response up from window.__meshBoot.
(function () {
  var PAGES = __MESH_PAGES__;
  var boot = (window.__meshBoot = {});
  try {
    var url = new URL(location.href);
    var first = url.pathname.split("/").filter(Boolean)[0] || "";
    var page = first === "" || first === "map" ? "map" : first === "traces" || first === "compare" ? "traces" : "";
    (PAGES[page] || []).forEach(function (href) {
      var link = document.createElement("link");
      link.rel = "modulepreload";
      link.href = href;
      document.head.appendChild(link);
    });
    var token = url.searchParams.get("token") || localStorage.getItem("mesh.adminToken");
    if (page !== "map" || !token || url.searchParams.get("start")) return;
    var now = Date.now();
    var ns = url.searchParams.get("ns") || "";
    var q = new URLSearchParams({ start: new Date(now - 300000).toISOString(), end: new Date(now).toISOString() });
    if (ns) q.set("namespace", ns);
    var response = fetch("/api/v1/graph?" + q, { headers: { Authorization: "Bearer " + token, Accept: "application/json" } });
    response.catch(function () {});
    boot.graph = { namespace: ns, at: now, token: token, response: response };
  } catch (e) {
    // Only a head start: the app does all of this itself when it is missing.
  }
})();
