// The Paddock console: polls this server's admin API and renders the ensemble, a tree
// browser and the sessions. Plain modules, no build step.
import { renderData, hexZxid } from "/console/format.js";

const $ = (id) => document.getElementById(id);
let previous = new Map(); // server id -> last status, for rates
let currentPath = "/";
let currentData = null;
let currentVersion = null;

async function getJson(url) {
  const response = await fetch(url, { cache: "no-store" });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function cell(row, text, numeric) {
  const td = row.insertCell();
  td.textContent = text ?? "";
  if (numeric) td.className = "num";
  return td;
}

/** Txns a server is behind the leader: zxids count within an epoch. */
function lag(server, leader) {
  if (!leader || server.lastZxid == null || leader.lastZxid == null) return "";
  const epoch = (z) => Math.floor(z / 2 ** 32);
  if (epoch(server.lastZxid) !== epoch(leader.lastZxid)) return "older epoch";
  return String(Math.max(0, leader.lastZxid - server.lastZxid));
}

function fsyncRate(server) {
  const before = previous.get(server.id);
  if (!before || before.fsyncs == null || server.fsyncs == null) return "";
  const seconds = (server.time - before.time) / 1000;
  return seconds > 0 ? ((server.fsyncs - before.fsyncs) / seconds).toFixed(1) : "";
}

async function refreshEnsemble() {
  try {
    const { servers } = await getJson("/api/ensemble");
    const leader = servers.find((s) => s.serving && (s.role === "leader" || s.role === "standalone"));
    const body = $("ensemble").tBodies[0];
    body.replaceChildren();
    for (const s of servers.sort((a, b) => a.id - b.id)) {
      const row = body.insertRow();
      row.dataset.id = s.id;
      row.className = s.state === "down" ? "down" : s.serving ? s.role : "electing";
      cell(row, s.id);
      cell(row, s.state === "down" ? `down (${s.reason})` : s.state).classList.add("state");
      cell(row, s.epoch, true);
      cell(row, s.lastZxid == null ? "" : hexZxid(s.lastZxid), true);
      cell(row, s.serving ? lag(s, leader) : "", true);
      cell(row, s.connections, true);
      cell(row, s.sessions, true);
      cell(row, s.outstanding, true);
      cell(row, fsyncRate(s), true);
      if (s.time) previous.set(s.id, s);
    }
    $("updated").textContent = "updated " + new Date().toLocaleTimeString();
  } catch (e) {
    $("updated").textContent = "this server does not answer: " + e.message;
  }
}

function child(path, name) {
  return path === "/" ? "/" + name : path + "/" + name;
}

async function open(path) {
  currentPath = path;
  $("path").value = path;
  try {
    const node = await getJson("/api/node?path=" + encodeURIComponent(path));
    currentData = node.data;
    currentVersion = node.stat.version;
    $("save").textContent = `set this node's data (version ${currentVersion})`;
    $("delete").textContent = `delete this node (version ${currentVersion})`;
    renderCrumbs(path);
    const list = $("children");
    list.replaceChildren();
    for (const name of node.children) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.textContent = name;
      a.dataset.path = child(path, name);
      a.addEventListener("click", () => open(a.dataset.path));
      li.append(a);
      list.append(li);
    }
    $("child-count").textContent = `(${node.stat.numChildren})`;
    $("data").textContent = renderData(currentData, $("view").value);
    $("data").classList.remove("error");
    const stat = $("stat");
    stat.replaceChildren();
    for (const [key, value] of Object.entries(node.stat)) {
      const row = stat.insertRow();
      cell(row, key);
      cell(row, /zxid$/.test(key) || key === "ephemeralOwner" ? hexZxid(value) : value, true);
    }
    const acl = $("acl");
    acl.replaceChildren();
    for (const a of node.acl) {
      const row = acl.insertRow();
      cell(row, a.scheme);
      cell(row, a.id);
      cell(row, a.perms);
    }
  } catch (e) {
    $("data").textContent = e.message;
    $("data").classList.add("error");
  }
}

function renderCrumbs(path) {
  const crumbs = $("crumbs");
  crumbs.replaceChildren();
  let sofar = "";
  for (const part of ["", ...path.split("/").filter((p) => p)]) {
    sofar = part === "" ? "/" : child(sofar, part);
    const a = document.createElement("a");
    a.textContent = part === "" ? "/" : part;
    const target = sofar;
    a.addEventListener("click", () => open(target));
    crumbs.append(a);
  }
}

async function refreshSessions() {
  try {
    const { sessions } = await getJson("/api/sessions");
    const body = $("sessions").tBodies[0];
    body.replaceChildren();
    for (const [id, s] of Object.entries(sessions)) {
      const row = body.insertRow();
      cell(row, id);
      cell(row, s.timeout + " ms", true);
      cell(row, s.ephemerals.join(", "));
      cell(row, s.watches.join(", "));
    }
  } catch (e) {
    // The ensemble view says why; keep the last list.
  }
}

/** Sends a change with the typed credentials; shows ZooKeeper's answer or error. */
async function change(method, path, query, body) {
  const auth = "Basic " + btoa($("user").value + ":" + $("password").value);
  const url = "/api/node?path=" + encodeURIComponent(path) + query;
  const response = await fetch(url, { method, body, headers: { Authorization: auth } });
  const answer = await response.json().catch(() => ({ error: response.statusText }));
  $("result").textContent = response.ok ? `${method} ${path}: done` : `${method} ${path}: `
    + (answer.error || response.status);
  $("result").className = response.ok ? "" : "error";
  return response.ok;
}

$("create").addEventListener("click", async () => {
  const name = $("child-name").value.trim();
  if (!name) return;
  if (await change("POST", child(currentPath, name), "", $("new-data").value)) {
    open(currentPath);
  }
});
$("save").addEventListener("click", async () => {
  if (await change("PUT", currentPath, "&version=" + currentVersion, $("new-data").value)) {
    open(currentPath);
  }
});
$("delete").addEventListener("click", async () => {
  const parent = currentPath.substring(0, currentPath.lastIndexOf("/")) || "/";
  if (await change("DELETE", currentPath, "&version=" + currentVersion)) open(parent);
});

$("goto").addEventListener("submit", (e) => {
  e.preventDefault();
  open($("path").value.trim() || "/");
});
$("view").addEventListener("change", () => {
  $("data").textContent = renderData(currentData, $("view").value);
});

refreshEnsemble();
refreshSessions();
open(new URLSearchParams(location.search).get("path") || "/");
setInterval(refreshEnsemble, 1000);
setInterval(refreshSessions, 3000);
