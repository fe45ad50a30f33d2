// Rendering helpers of the console, kept apart so they stay small and pure.

/** A zxid (or session id) in hex as ZooKeeper prints it; exact below 2^53. */
export function hexZxid(value) {
  return "0x" + Number(value).toString(16);
}

/** Node data (base64 from the API) as text, pretty-printed JSON, or a hex dump. */
export function renderData(base64, mode) {
  if (base64 == null) return "(no data)";
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  if (mode === "hex") {
    const lines = [];
    for (let i = 0; i < bytes.length; i += 16) {
      const chunk = Array.from(bytes.slice(i, i + 16));
      lines.push(i.toString(16).padStart(8, "0") + "  "
        + chunk.map((b) => b.toString(16).padStart(2, "0")).join(" ").padEnd(48) + "  "
        + chunk.map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : ".")).join(""));
    }
    return lines.join("\n") || "(empty)";
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  if (mode === "json") {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch (e) {
      return "not JSON: " + e.message;
    }
  }
  return text || "(empty)";
}
