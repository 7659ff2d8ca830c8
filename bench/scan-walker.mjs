// Two small manifest walkers for the scan benchmarks (the real `coffer scan` walker lives in src/scan/):
// each hands every scalar value with its key to a callback, pairing env `name`/`value` entries.
//  - walkParsed: parses with the `yaml` package (exact, but the parser runs at ~3 MB/s);
//  - walkLines: a line scanner for block-style YAML as Kubernetes manifests are written (key: value,
//    "- key: value", quoted scalars, | and > block scalars), fast enough to keep up with the detector.
import { parseAllDocuments } from "yaml";

export function walkParsed(text, emit) {
  for (const doc of parseAllDocuments(text)) walkValue(doc.toJS(), "", emit);
}

function walkValue(value, key, emit) {
  if (typeof value === "string") emit(key, value);
  else if (Array.isArray(value)) for (const v of value) walkValue(v, key, emit);
  else if (value !== null && typeof value === "object") {
    if (typeof value.name === "string" && typeof value.value === "string") emit(value.name, value.value);
    for (const [k, v] of Object.entries(value)) if (!(k === "value" && typeof value.name === "string")) walkValue(v, k, emit);
  }
}

function unquote(text, start, end) {
  const q = text.charCodeAt(start);
  if (end - start >= 2 && (q === 34 || q === 39) && text.charCodeAt(end - 1) === q) {
    const inner = text.slice(start + 1, end - 1);
    if (q === 39) return inner.includes("'") ? inner.replace(/''/g, "'") : inner;
    return inner.includes("\\") ? JSON.parse(text.slice(start, end)) : inner;
  }
  const v = text.slice(start, end);
  const hash = v.indexOf(" #");
  return hash === -1 ? v : v.slice(0, hash).trimEnd();
}

/** Where the mapping key of the line [from, lineEnd) ends (its ":"), outside quotes; -1 if none. */
function keyEnd(text, from, lineEnd) {
  const q = text.charCodeAt(from);
  if (q === 34 || q === 39) {
    const close = text.indexOf(q === 34 ? '"' : "'", from + 1);
    return close !== -1 && close < lineEnd && text.charCodeAt(close + 1) === 58 ? close + 1 : -1;
  }
  const colon = text.indexOf(": ", from);
  if (colon !== -1 && colon < lineEnd) return colon;
  return text.charCodeAt(lineEnd - 1) === 58 ? lineEnd - 1 : -1;
}

export function walkLines(text, emit) {
  let lastName = undefined; // the `name:` of the current env entry
  let pos = 0;
  const end = text.length;
  while (pos < end) {
    let lineEnd = text.indexOf("\n", pos);
    if (lineEnd === -1) lineEnd = end;
    const lineStart = pos;
    let start = pos;
    pos = lineEnd + 1;
    while (text.charCodeAt(start) === 32) start++;
    if (start >= lineEnd) continue;
    const first0 = text.charCodeAt(start);
    if (first0 === 35) continue; // comment
    if (first0 === 45 && text.charCodeAt(start + 1) === 45 && text.charCodeAt(start + 2) === 45) continue; // ---
    const keyIndent = start - lineStart;
    if (first0 === 45 && text.charCodeAt(start + 1) === 32) start += 2; // "- "
    const colon = keyEnd(text, start, lineEnd);
    if (colon === -1) continue;
    let key = text.slice(start, colon);
    const k0 = key.charCodeAt(0);
    if (k0 === 34 || k0 === 39) key = key.slice(1, -1);
    let restStart = colon + 1;
    while (text.charCodeAt(restStart) === 32) restStart++;
    let restEnd = lineEnd;
    while (restEnd > restStart && text.charCodeAt(restEnd - 1) <= 32) restEnd--;
    if (restStart >= restEnd) continue;
    const first = text.charCodeAt(restStart);
    if (first === 124 || first === 62) {
      // | or > block scalar: the following lines indented deeper than the key.
      const chompStrip = text.slice(restStart, restEnd).includes("-");
      const body = [];
      let blockIndent = -1;
      while (pos < end) {
        let next = text.indexOf("\n", pos);
        if (next === -1) next = end;
        let ind = 0;
        while (text.charCodeAt(pos + ind) === 32) ind++;
        if (pos + ind >= next) {
          body.push("");
          pos = next + 1;
          continue;
        }
        if (ind <= keyIndent) break;
        if (blockIndent < 0) blockIndent = ind;
        body.push(text.slice(pos + blockIndent, next));
        pos = next + 1;
      }
      while (body.length > 0 && body[body.length - 1] === "") body.pop();
      emit(key, (first === 124 ? body.join("\n") : body.join(" ")) + (chompStrip ? "" : "\n"));
      continue;
    }
    if (first === 123 || first === 91) continue; // flow collections: not in generated manifests
    const value = unquote(text, restStart, restEnd);
    if (key === "name") lastName = value;
    emit(key === "value" && lastName !== undefined ? lastName : key, value);
  }
}
