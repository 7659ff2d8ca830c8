/**
 * Coffer's secret detectors: named rules for well-known credential formats (one family per file in
 * rules/), and generic key-name + entropy rules, behind cheap prefilters. Base64 values are decoded and
 * scanned too. Pure and synchronous; every regex is compiled once.
 */
import type { Confidence, Detection, ScanCandidate, SecretDetector } from "../detector.js";
import { AnchorIndex } from "./anchor-index.js";
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
import { BASE64_SHAPE, decodeBase64Text } from "./text.js";
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

/** Config texts hold assignments: "k=v", "k: v", "\"k\":", "<k>v</k>". URLs alone (":/") do not count. */
const ASSIGNMENT_SHAPE = /=|: |":|:\t|<\//;
function mayHoldAssignments(text: string): boolean {
  return ASSIGNMENT_SHAPE.test(text);
}

const UPPER = /[A-Z]/;

/**
 * Base64 with an upper-case letter: base64 of text always has one, so hex digests, UUIDs and
 * lower-case names are not decoded. Native regexes: most values fail on their first few characters.
 */
function looksBase64(value: string): boolean {
  return value.length >= 8 && BASE64_SHAPE.test(value) && UPPER.test(value);
}
