/// The chat page served at `GET /`: one self-contained HTML file (no external resources) that streams answers
/// from `/v1/chat/completions`.
enum ChatPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>swift-ml chat</title>
<link rel="icon" href="data:,">
<style>
  body { font: 15px/1.5 system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  #log { border: 1px solid #ccc; border-radius: 6px; padding: 1rem; min-height: 18rem; white-space: pre-wrap; }
  .user { color: #0645ad; margin-top: .75rem; } .assistant { margin-top: .25rem; } .error { color: #b00; }
  form { display: flex; gap: .5rem; margin-top: 1rem; } #prompt { flex: 1; padding: .5rem; }
  #key { width: 12rem; padding: .5rem; } button { padding: .5rem 1rem; }
</style>
</head>
<body>
<h1>swift-ml chat</h1>
<div id="log"></div>
<form id="form">
  <input id="prompt" placeholder="Ask something…" autocomplete="off" autofocus>
  <input id="key" type="password" placeholder="API key (if any)">
  <button id="send">Send</button>
  <button id="stop" type="button" disabled>Stop</button>
</form>
<script>
const log = document.getElementById("log"), form = document.getElementById("form");
const promptBox = document.getElementById("prompt"), keyBox = document.getElementById("key");
const stopButton = document.getElementById("stop");
const history = [];
let controller = null;
function line(cls, text) { const d = document.createElement("div"); d.className = cls; d.textContent = text; log.appendChild(d); return d; }
stopButton.onclick = () => controller && controller.abort();
form.onsubmit = async (e) => {
  e.preventDefault();
  const text = promptBox.value.trim(); if (!text) return;
  promptBox.value = ""; line("user", "> " + text); history.push({role: "user", content: text});
  const out = line("assistant", ""); controller = new AbortController(); stopButton.disabled = false;
  const headers = {"Content-Type": "application/json"};
  if (keyBox.value) headers["Authorization"] = "Bearer " + keyBox.value;
  try {
    const response = await fetch("/v1/chat/completions", {method: "POST", headers, signal: controller.signal,
      body: JSON.stringify({messages: history, stream: true})});
    if (!response.ok) { const body = await response.json(); throw new Error(body.error ? body.error.message : response.statusText); }
    const reader = response.body.getReader(), decoder = new TextDecoder(); let buffer = "";
    for (;;) {
      const {value, done} = await reader.read(); if (done) break;
      buffer += decoder.decode(value, {stream: true});
      let cut; while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, cut); buffer = buffer.slice(cut + 2);
        for (const l of event.split("\n")) {
          if (!l.startsWith("data:")) continue;
          const data = l.slice(5).trim(); if (data === "[DONE]") continue;
          const chunk = JSON.parse(data);
          if (chunk.error) throw new Error(chunk.error.message);
          const delta = chunk.choices && chunk.choices[0] && chunk.choices[0].delta;
          if (delta && delta.content) out.textContent += delta.content;
        }
      }
    }
    history.push({role: "assistant", content: out.textContent});
  } catch (error) {
    if (error.name !== "AbortError") line("error", "error: " + error.message);
    else history.push({role: "assistant", content: out.textContent});
  } finally { controller = null; stopButton.disabled = true; }
};
</script>
</body>
</html>
"""#
}
