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

const LINE = /^(\s*)(?:- )?(?:"([^"]*)"|'([^']*)'|([^\s:#"'][^:#]*?)):(?:\s+(.*))?$/;

function unquote(raw) {
  const v = raw.trim();
  if (v.length >= 2 && v[0] === '"' && v.endsWith('"')) return JSON.parse(v);
  if (v.length >= 2 && v[0] === "'" && v.endsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
  const hash = v.indexOf(" #");
  return hash === -1 ? v : v.slice(0, hash).trimEnd();
}

export function walkLines(text, emit) {
  const lines = text.split("\n");
  let lastName = undefined; // the `name:` of the current env entry
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.length === 0 || line === "---") continue;
    const m = LINE.exec(line);
    if (m === null) continue;
    const key = m[2] ?? m[3] ?? m[4];
    const rest = m[5];
    if (rest === undefined || rest === "") continue;
    const first = rest.charCodeAt(0);
    if (first === 124 || first === 62) {
      // | or > block scalar: the following lines indented deeper than the key.
      const indent = m[1].length;
      const body = [];
      let j = i + 1;
      let blockIndent = -1;
      for (; j < lines.length; j++) {
        const l = lines[j];
        if (l.trim() === "") {
          body.push("");
          continue;
        }
        const ind = l.length - l.trimStart().length;
        if (ind <= indent) break;
        if (blockIndent < 0) blockIndent = ind;
        body.push(l.slice(blockIndent));
      }
      i = j - 1;
      while (body.length > 0 && body[body.length - 1] === "") body.pop();
      const keep = rest.includes("-") ? "" : "\n"; // chomping: |- strips the final line break
      emit(key, (first === 124 ? body.join("\n") : body.join(" ")) + keep);
      continue;
    }
    if (first === 123 || first === 91) continue; // flow collections: not in generated manifests
    const value = unquote(rest);
    if (key === "name") lastName = value;
    emit(key === "value" && lastName !== undefined ? lastName : key, value);
  }
}
