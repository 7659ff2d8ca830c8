/**
 * Coffer's secret detectors: named rules for well-known credential formats (one family per file in
 * rules/), and generic key-name + entropy rules, behind cheap prefilters. Base64 values are decoded and
 * scanned too. Pure and synchronous; every regex is compiled once.
 */
import type { Confidence, Detection, DetectorRule, ScanCandidate, SecretDetector } from "../detector.js";
import { findAssignments, genericRules, HINT_WORDS, valueStrength } from "./generic.js";
import { keyKind, type KeyKind } from "./keys.js";
import { aiRules } from "./rules/ai.js";
import { chatRules } from "./rules/chat.js";
import { cloudRules } from "./rules/cloud.js";
import { configFileRules } from "./rules/config-files.js";
import { connectionStringRules } from "./rules/connection-strings.js";
import { jwtRules } from "./rules/jwt.js";
import { mailRules } from "./rules/mail.js";
import { monitoringRules } from "./rules/monitoring.js";
import { packageRules } from "./rules/packages.js";
import { paymentRules } from "./rules/payment.js";
import { platformRules } from "./rules/platform.js";
import { privateKeyRules } from "./rules/private-keys.js";
import { vcsRules } from "./rules/vcs.js";
import { decodeBase64Text } from "./text.js";
import type { Found, NamedRule } from "./types.js";

export interface SecretDetectorOptions {
  /** Drop findings below this confidence (default "low": report everything). */
  minConfidence?: Confidence;
  /** Rule ids to leave out. */
  disabledRules?: readonly string[];
  /** Decode base64 values and scan the decoded text (default true). */
  decodeBase64?: boolean;
}

/** Every named rule, most specific first (an earlier rule wins where two findings overlap). */
const NAMED_RULES: readonly NamedRule[] = [
  ...cloudRules,
  ...privateKeyRules,
  ...configFileRules,
  ...vcsRules,
  ...chatRules,
  ...paymentRules,
  ...mailRules,
  ...monitoringRules,
  ...packageRules,
  ...aiRules,
  ...platformRules,
  ...jwtRules,
  ...connectionStringRules,
];

const MAX_SCRATCH = 4 << 20;
const RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };

const MIN_LENGTH = 6;

interface KeyInfo {
  lower: string;
  kind: KeyKind;
  /** Indices of the key-context rules this key name selects. */
  keyed: number[];
}

export function createSecretDetector(options: SecretDetectorOptions = {}): SecretDetector {
  const disabled = new Set(options.disabledRules ?? []);
  const minRank = RANK[options.minConfidence ?? "low"];
  const named = NAMED_RULES.filter((r) => !disabled.has(r.rule.id));
  const genericEnabled = { password: !disabled.has(genericRules.password.id), secret: !disabled.has(genericRules.secret.id) };
  const anchors = new AnchorIndex(named, HINT_WORDS);
  const keys = new Map<string, KeyInfo>();
  const keyInfo = (key: string): KeyInfo => {
    let info = keys.get(key);
    if (info === undefined) {
      const lower = key.toLowerCase();
      info = { lower, kind: keyKind(key), keyed: named.flatMap((r, i) => (r.keyPattern?.test(lower) ? [i] : [])) };
      if (keys.size > 50_000) keys.clear();
      keys.set(key, info);
    }
    return info;
  };
  const decode = options.decodeBase64 ?? true;

  function scan(text: string, info: KeyInfo, decodedFrom: "base64" | undefined): Detection[] {
    const out: Detection[] = [];
    // One pass finds the named rules whose anchors occur, and whether a credential word does.
    let selected = text.length > 12 ? anchors.select(text) : undefined;
    const hinted = text.length > 12 && anchors.hinted;
    if (info.keyed.length > 0) selected = selected === undefined ? info.keyed : [...new Set([...selected, ...info.keyed])].sort((a, b) => a - b);
    if (selected !== undefined) runRules(selected, text, 0, text, info.lower, decodedFrom, out);
    // Generic: the key names a secret and the whole value looks like one.
    if (!text.includes("\n")) generic(info.kind, text, 0, text.length, decodedFrom, out);
    // Assignments inside a config text count as key/value candidates of their own.
    if (hinted && mayHoldAssignments(text)) {
      for (const a of findAssignments(text, true)) {
        const inner = keyInfo(a.name);
        if (inner.keyed.length > 0) runRules(inner.keyed, text.slice(a.start, a.end), a.start, text, inner.lower, decodedFrom, out);
        generic(inner.kind, text, a.start, a.end, decodedFrom, out);
      }
    }
    return out;
  }

  /** Runs the selected named rules on `part`, which sits at `offset` in `text`. */
  function runRules(selected: readonly number[], part: string, offset: number, text: string, lowerKey: string, decodedFrom: "base64" | undefined, out: Detection[]): void {
    const context = { key: lowerKey };
    for (const i of selected) {
      const rule = named[i]!;
      for (const f of rule.find(part, context)) add(out, text, decodedFrom, rule.rule.id, { start: f.start + offset, end: f.end + offset, confidence: f.confidence });
    }
  }

  /** The generic rule of a key kind on text[start, end). */
  function generic(kind: KeyKind, text: string, start: number, end: number, decodedFrom: "base64" | undefined, out: Detection[]): void {
    if (kind === "none" || !genericEnabled[kind]) return;
    const value = start === 0 && end === text.length ? text : text.slice(start, end);
    const confidence = valueStrength(value, kind);
    if (confidence === undefined) return;
    const lead = value.length - value.trimStart().length;
    add(out, text, decodedFrom, genericRules[kind].id, { start: start + lead, end: start + lead + value.trim().length, confidence });
  }

  function add(out: Detection[], text: string, decodedFrom: "base64" | undefined, ruleId: string, f: Found): void {
    if (RANK[f.confidence] < minRank) return;
    for (const d of out) if (f.start < d.end && d.start < f.end) return; // overlaps an earlier finding
    const detection: Detection = { ruleId, confidence: f.confidence, start: f.start, end: f.end, match: text.slice(f.start, f.end) };
    if (decodedFrom !== undefined) detection.decodedFrom = decodedFrom;
    out.push(detection);
  }

  return {
    rules: [...named.map((r) => r.rule), ...Object.values(genericRules).filter((r) => !disabled.has(r.id))],
    detect({ key, value }: ScanCandidate): Detection[] {
      if (value.length < MIN_LENGTH) return [];
      const info = keyInfo(key ?? "");
      // Short values under plain keys: too short for any named format, and no key to vouch for them.
      if (value.length <= 12 && info.kind === "none" && info.keyed.length === 0) return [];
      // A value that decodes to text is scanned as that text (Secret data, encoded config files).
      const decoded = decode && looksBase64(value) ? decodeBase64Text(value) : undefined;
      return decoded !== undefined ? scan(decoded, info, "base64") : scan(value, info, undefined);
    },
  };
}

/**
 * Which named rules can match a text: every rule has literal anchors, and a table indexed by the first two
 * characters of the anchors finds them in one pass over the text (about one table look-up per character;
 * a regex alternation of the 150 anchors costs several times more).
 */
export class AnchorIndex {
  /** (first char code << 7 | second) -> 1 + index into `groups`, or 0. */
  private readonly table = new Uint8Array(128 * 128);
  /** Anchors that start with the same two characters, with their rule indices. */
  private readonly groups: Array<Array<{ anchor: string; rules: number[] }>> = [];
  private readonly hintIndex: number;
  /** Rule indices seen in the current select() call (generation-stamped, so never cleared). */
  private readonly seen: Uint32Array;
  private generation = 0;
  /** Whether the last select() saw a hint word. */
  hinted = false;

  /** `hints`: literals that set `hinted` instead of selecting a rule. */
  constructor(rules: readonly NamedRule[], hints: readonly string[]) {
    this.hintIndex = rules.length;
    this.seen = new Uint32Array(rules.length + 1);
    const byAnchor = new Map<string, number[]>();
    for (const hint of hints) byAnchor.set(hint, [rules.length]);
    rules.forEach((rule, i) => {
      for (const anchor of rule.anchors) {
        if (anchor.length < 2 || anchor.charCodeAt(0) > 127 || anchor.charCodeAt(1) > 127) throw new Error(`rule ${rule.rule.id}: anchors need two ASCII characters`);
        byAnchor.set(anchor, [...(byAnchor.get(anchor) ?? []), i]);
      }
    });
    for (const [anchor, indices] of byAnchor) {
      const code = (anchor.charCodeAt(0) << 7) | anchor.charCodeAt(1);
      if (this.table[code] === 0) this.table[code] = this.groups.push([]);
      if (this.groups.length > 255) throw new Error("too many anchor prefixes for the index");
      this.groups[this.table[code]! - 1]!.push({ anchor, rules: indices });
    }
  }

  /** Scratch bytes: the text is encoded into them (native, fast) and scanned as bytes, not characters. */
  private scratch = new Uint8Array(4096);
  private readonly encoder = new TextEncoder();

  /** The indices (ascending) of the rules whose anchors occur in the text, or undefined for none. */
  select(text: string): number[] | undefined {
    // UTF-8: non-ASCII characters become bytes >= 0x80, which no anchor holds; positions shift after them,
    // so then a candidate is confirmed anywhere in the text.
    const need = text.length * 3;
    // The scratch buffer grows for ordinary values; a huge one gets a buffer of its own, not kept.
    if (need > this.scratch.length && need <= MAX_SCRATCH) this.scratch = new Uint8Array(Math.min(MAX_SCRATCH, Math.max(need, this.scratch.length * 2)));
    const bytes = need > this.scratch.length ? new Uint8Array(need) : this.scratch;
    const n = this.encoder.encodeInto(text, bytes).written;
    const ascii = n === text.length;
    let selected: number[] | undefined;
    const generation = ++this.generation;
    const seen = this.seen;
    this.hinted = false;
    const table = this.table;
    const groups = this.groups;
    let prev = bytes[0]!;
    for (let i = 1; i < n; i++) {
      const c = bytes[i]!;
      const group = (prev | c) < 128 ? table[(prev << 7) | c]! : 0;
      prev = c;
      if (group === 0) continue;
      const candidates = groups[group - 1]!;
      for (let k = 0; k < candidates.length; k++) {
        const candidate = candidates[k]!;
        if (ascii ? !text.startsWith(candidate.anchor, i - 1) : !text.includes(candidate.anchor)) continue;
        const rules = candidate.rules;
        for (let r = 0; r < rules.length; r++) {
          const index = rules[r]!;
          if (seen[index] === generation) continue;
          seen[index] = generation;
          if (index === this.hintIndex) this.hinted = true;
          else (selected ??= []).push(index);
        }
      }
    }
    if (selected !== undefined && selected.length > 1) selected.sort((a, b) => a - b);
    return selected;
  }
}

/** Config texts hold assignments: "k=v", "k: v", "\"k\":", "<k>v</k>". URLs alone (":/") do not count. */
const ASSIGNMENT_SHAPE = /=|: |":|:\t|<\//;
function mayHoldAssignments(text: string): boolean {
  return ASSIGNMENT_SHAPE.test(text);
}

/**
 * Base64 (standard or URL-safe) with an upper-case letter: base64 of text always has one, so hex
 * digests, UUIDs and lower-case names are not decoded. One pass, no regex.
 */
function looksBase64(value: string): boolean {
  if (value.length < 8) return false;
  let upper = false;
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 61) end--; // trailing "="
  if (value.length - end > 2) return false;
  for (let i = 0; i < end; i++) {
    const c = value.charCodeAt(i);
    if (c >= 65 && c <= 90) upper = true;
    else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 45 || c === 95)) return false;
  }
  return upper;
}

export const ALL_RULES: readonly DetectorRule[] = createSecretDetector().rules;
