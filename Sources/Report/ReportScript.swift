/// The page's script: hover/click detail for chart points and matrix cells, and, on a live page, polling
/// `/report/version` and swapping in the new `<main>` when the store changed. Written here, no library.
enum ReportScript {
    static let js = #"""
(() => {
"use strict";
const tip = document.getElementById("tip");
let answers = [], pinned = null;
function loadAnswers() {
  const el = document.getElementById("answers");
  answers = el ? JSON.parse(el.textContent) : [];
}
function detail(el) {
  if (el.dataset.detail) return el.dataset.detail;
  const row = el.parentElement, table = el.closest("table");
  const head = table.tHead.rows[0].cells[el.cellIndex];
  const verdict = el.classList.contains("ok") ? "passed" : "failed";
  const answer = el.dataset.a !== undefined ? answers[Number(el.dataset.a)] : "(no answer kept)";
  return row.dataset.probe + " @ " + head.title + ": " + verdict + "\n\n" + answer;
}
function target(event) { return event.target.closest ? event.target.closest("[data-detail], td.ok, td.no") : null; }
function show(el, x, y) {
  tip.textContent = detail(el);
  tip.hidden = false;
  const w = tip.offsetWidth, h = tip.offsetHeight;
  tip.style.left = Math.max(4, Math.min(x + 14, innerWidth - w - 4)) + "px";
  tip.style.top = Math.max(4, Math.min(y + 14, innerHeight - h - 4)) + "px";
}
document.addEventListener("mouseover", (event) => {
  const el = target(event);
  if (el && !pinned) show(el, event.clientX, event.clientY);
});
document.addEventListener("mouseout", (event) => {
  if (!pinned && target(event)) tip.hidden = true;
});
document.addEventListener("click", (event) => {
  const el = target(event);
  if (el && el !== pinned) { pinned = null; show(el, event.clientX, event.clientY); pinned = el; tip.classList.add("pinned"); }
  else { pinned = null; tip.hidden = true; tip.classList.remove("pinned"); }
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") { pinned = null; tip.hidden = true; tip.classList.remove("pinned"); }
});
loadAnswers();
if (document.body.dataset.live !== "1") return;
const status = document.getElementById("live");
async function poll() {
  try {
    const response = await fetch("/report/version", {cache: "no-store"});
    const {version} = await response.json();
    if (version !== document.body.dataset.version) {
      const page = await (await fetch("/report", {cache: "no-store"})).text();
      const next = new DOMParser().parseFromString(page, "text/html");
      document.getElementById("report").replaceChildren(...next.getElementById("report").childNodes);
      document.body.dataset.version = next.body.dataset.version;
      pinned = null; tip.hidden = true;
      loadAnswers();
    }
    status.textContent = "Live: updated " + new Date().toLocaleTimeString() + ".";
  } catch (error) {
    status.textContent = "Live: cannot reach the server (" + error.message + "); retrying.";
  }
  setTimeout(poll, 2000);
}
setTimeout(poll, 2000);
})();
"""#
}
