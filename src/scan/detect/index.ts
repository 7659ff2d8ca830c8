/**
 * Coffer's secret detectors: named rules for well-known credential formats (one family per file in
 * rules/), and generic key-name + entropy rules, behind cheap prefilters. Base64 values are decoded and
 * scanned too. Pure and synchronous; every regex is compiled once.
 */
import type { Confidence, Detection, DetectorRule, ScanCandidate, SecretDetector } from "../detector.js";
import { findAssignments, genericRules, valueStrength } from "./generic.js";
import { keyKind } from "./keys.js";
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
import type { NamedRule } from "./types.js";

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
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const MIN_LENGTH = 6;
const BASE64_CANDIDATE = /^[A-Za-z0-9+/_-]{8,}={0,2}$/;

export function createSecretDetector(options: SecretDetectorOptions = {}): SecretDetector {
  const disabled = new Set(options.disabledRules ?? []);
  const minRank = RANK[options.minConfidence ?? "low"];
  const named = NAMED_RULES.filter((r) => !disabled.has(r.rule.id));
  const genericEnabled = { password: !disabled.has(genericRules.password.id), secret: !disabled.has(genericRules.secret.id) };
  // One pass over the value tells whether any named rule can match at all.
  const anchors = [...new Set(named.flatMap((r) => r.anchors))].sort((a, b) => b.length - a.length);
  const anyAnchor = new RegExp(anchors.map(escape).join("|"));
  const keyed = named.filter((r) => r.keyPattern !== undefined);
  const decode = options.decodeBase64 ?? true;

  function scan(text: string, key: string, decodedFrom: "base64" | undefined, out: Detection[]): void {
    const lowerKey = key.toLowerCase();
    const hasAnchor = anyAnchor.test(text);
    const context = { key: lowerKey };
    const push = (ruleId: string, confidence: Confidence, start: number, end: number) => {
      if (RANK[confidence] < minRank) return;
      for (const d of out) if (d.decodedFrom === decodedFrom && start < d.end && d.start < end) return; // overlaps an earlier finding
      out.push({ ruleId, confidence, start, end, match: text.slice(start, end), ...(decodedFrom ? { decodedFrom } : {}) });
    };
    if (hasAnchor) {
      for (const rule of named) {
        if (!rule.anchors.some((a) => text.includes(a)) && !(rule.keyPattern?.test(lowerKey) ?? false)) continue;
        for (const f of rule.find(text, context)) push(rule.rule.id, f.confidence, f.start, f.end);
      }
    } else if (lowerKey.length > 0) {
      for (const rule of keyed) {
        if (!rule.keyPattern!.test(lowerKey)) continue;
        for (const f of rule.find(text, context)) push(rule.rule.id, f.confidence, f.start, f.end);
      }
    }
    // Generic: the key names a secret and the whole value looks like one, or assignments inside a config text.
    const kind = keyKind(key);
    if (kind !== "none" && genericEnabled[kind] && !text.includes("\n")) {
      const confidence = valueStrength(text, kind);
      if (confidence !== undefined) {
        const start = text.length - text.trimStart().length;
        push(genericRules[kind].id, confidence, start, start + text.trim().length);
      }
    }
    if (text.length > 12 && (genericEnabled.password || genericEnabled.secret)) {
      findAssignments(text, (f, k) => {
        if (genericEnabled[k]) push(genericRules[k].id, f.confidence, f.start, f.end);
      });
    }
  }

  return {
    rules: [...named.map((r) => r.rule), ...Object.values(genericRules).filter((r) => !disabled.has(r.id))],
    detect({ key, value }: ScanCandidate): Detection[] {
      if (value.length < MIN_LENGTH) return [];
      const out: Detection[] = [];
      const decoded = decode && BASE64_CANDIDATE.test(value) ? decodeBase64Text(value) : undefined;
      // A value that decodes to text is scanned as that text (Secret data, encoded config files).
      if (decoded !== undefined) scan(decoded, key ?? "", "base64", out);
      else scan(value, key ?? "", undefined, out);
      return out;
    },
  };
}

export const ALL_RULES: readonly DetectorRule[] = createSecretDetector().rules;
