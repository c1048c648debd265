// calendar-mockserver dashboard: controls that call the /_mock API, and live updates by
// server-sent events (the page's <main> is reloaded when the fake's state moves).
// No framework, no build step, nothing fetched from elsewhere.
"use strict";

(function () {
  const flash = document.getElementById("flash");
  const live = document.getElementById("live");

  function say(text, ok) {
    if (!flash) return;
    flash.textContent = text;
    flash.className = ok ? "ok" : "bad";
  }

  async function call(url, method, body) {
    const init = { method: method, headers: {} };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(url, init);
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) {
      const why = data && (data.problems || data.detail || data.error);
      say(method + " " + url + ": " + response.status + " " + JSON.stringify(why), false);
      return null;
    }
    say(method + " " + url + ": " + response.status, true);
    await refresh();
    return data;
  }

  function formBody(form) {
    const jsonField = form.dataset.json;
    if (jsonField) return JSON.parse(form.elements[jsonField].value);
    const body = {};
    for (const el of form.elements) {
      if (!el.name) continue;
      if (el.type === "checkbox") { if (el.checked) body[el.name] = true; continue; }
      if (el.value === "") continue;
      body[el.name] = el.type === "number" ? Number(el.value) : el.value;
    }
    return form.dataset.section ? { [form.dataset.section]: body } : body;
  }

  document.addEventListener("click", function (ev) {
    const button = ev.target.closest("button[data-api]");
    if (!button) return;
    ev.preventDefault();
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
    const body = button.dataset.body ? JSON.parse(button.dataset.body) : undefined;
    call(button.dataset.api, button.dataset.method || "POST", body);
  });

  document.addEventListener("submit", function (ev) {
    const form = ev.target.closest("form[data-api]");
    if (!form) return;
    ev.preventDefault();
    let body;
    try { body = formBody(form); } catch (e) { say("not JSON: " + e.message, false); return; }
    call(form.dataset.api, form.dataset.method || "POST", body);
  });

  // -- live updates -------------------------------------------------------------------------

  let refreshing = null;

  async function refresh() {
    if (refreshing) return refreshing;
    refreshing = (async function () {
      const response = await fetch(window.location.href, { headers: { Accept: "text/html" } });
      if (!response.ok) return;
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = doc.getElementById("content");
      const here = document.getElementById("content");
      const el = document.activeElement;  // never swap a field out from under the typist
      const typing = el && here.contains(el) && /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName);
      if (fresh && here && !typing) here.innerHTML = fresh.innerHTML;
      const clock = doc.querySelector("header .clock");
      const mine = document.querySelector("header .clock");
      if (clock && mine) mine.textContent = clock.textContent;
      await loadDeliveries();
      document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || 0) + 1);
    })();
    try { await refreshing; } finally { refreshing = null; }
  }

  function connect() {
    if (!live || !window.EventSource) return;
    const source = new EventSource("/_mock/ui/stream");
    source.onopen = function () { live.textContent = "● live"; live.className = "live on"; };
    source.onerror = function () { live.textContent = "○ reconnecting"; live.className = "live"; };
    source.addEventListener("change", function () { refresh(); });
    window.addEventListener("pagehide", function () { source.close(); });
  }

  // -- deliveries (a generic table of whatever the delivery log returns) -----------------

  function rowsOf(data) {
    if (Array.isArray(data)) return data;
    if (data && typeof data === "object") {
      for (const key of Object.keys(data)) if (Array.isArray(data[key])) return data[key];
    }
    return [];
  }

  async function loadDeliveries() {
    const box = document.getElementById("deliveries");
    if (!box) return;
    const response = await fetch(box.dataset.source, { headers: { Accept: "application/json" } });
    if (!response.ok) { box.textContent = "the delivery log answered " + response.status; return; }
    const rows = rowsOf(await response.json());
    if (!rows.length) { box.textContent = "No deliveries yet."; return; }
    const keys = [];
    for (const row of rows) for (const k of Object.keys(row)) if (!keys.includes(k)) keys.push(k);
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    for (const k of keys) { const th = document.createElement("th"); th.textContent = k; head.appendChild(th); }
    const body = table.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      for (const k of keys) {
        const v = row[k];
        tr.insertCell().textContent = v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
      }
    }
    box.replaceChildren(table);
  }

  loadDeliveries();
  connect();
})();
