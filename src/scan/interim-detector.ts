/**
 * A small interim secret detector for `coffer scan`, used until the full detector set
 * (src/scan/detect/) is merged. Everything goes through {@link loadDetector} in
 * detector-loader.ts, so swapping it is one line. Only well-known formats plus one key-name rule.
 */
import type { Confidence, Detection, DetectorRule, ScanCandidate, SecretDetector } from "./detector.js";

interface PatternRule extends DetectorRule {
  pattern: RegExp;
  /** Which capture group holds the secret (0 = the whole match). */
  group: number;
}

const PATTERN_RULES: readonly PatternRule[] = [
  {
    id: "aws-access-key-id",
    title: "AWS access key ID",
    help: "Revoke the key in IAM and load credentials from a Secret (or workload identity) instead.",
    confidence: "high",
    pattern: /\b((?:AKIA|ASIA)[0-9A-Z]{16})\b/g,
    group: 1,
  },
  {
    id: "private-key-pem",
    title: "PEM private key",
    help: "Rotate the key pair and keep the private key in an encrypted Secret.",
    confidence: "high",
    pattern: /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?)PRIVATE KEY-----[\s\S]+?-----END \1PRIVATE KEY-----/g,
    group: 0,
  },
  {
    id: "github-token",
    title: "GitHub token",
    help: "Revoke the token on GitHub and load it from an encrypted Secret.",
    confidence: "high",
    pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,255})\b/g,
    group: 1,
  },
  {
    id: "url-credentials",
    title: "Password in a URL",
    help: "Change the password and pass it separately, from an encrypted Secret.",
    confidence: "high",
    pattern: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/]+:([^\s@/]+)@[^\s]/g,
    group: 1,
  },
];

const KEY_NAME_RULE: DetectorRule = {
  id: "generic-password",
  title: "Password or token under a telling key name",
  help: "Move the value into an encrypted Secret and reference it (secretKeyRef).",
  confidence: "medium",
};

const SECRET_KEY_NAME = /(?:^|[^a-z])(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|auth)(?:$|[^a-z])/i;

/** Values that are obviously not secrets: empty, templated, references, placeholders. */
function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length < 6) return true;
  if (/\$\{|\{\{|\$\(|^<.*>$|^\*+$|^x+$/i.test(v)) return true;
  if (/^(true|false|null|none|changeme|change-me|password|secret|example|redacted|your[-_ ].*|todo|tbd)$/i.test(v)) return true;
  if (/^(\/|\.\/|file:|vault:|ref\+|arn:aws:secretsmanager)/i.test(v)) return true;
  if (/^ENC\[[A-Z0-9_]+,data:/.test(v)) return true;
  if (/^[0-9.]+$/.test(v)) return true;
  return /\s/.test(v) && v.split(/\s+/).length > 3; // prose, not a credential
}

function findPatterns(value: string, decodedFrom: "base64" | undefined): Detection[] {
  const found: Detection[] = [];
  for (const rule of PATTERN_RULES) {
    for (const match of value.matchAll(rule.pattern)) {
      const text = match[rule.group] ?? match[0];
      if (rule.id === "url-credentials" && isPlaceholder(decodeURIComponentSafe(text))) continue;
      const start = (match.index ?? 0) + match[0].indexOf(text);
      found.push({ ruleId: rule.id, confidence: rule.confidence, start, end: start + text.length, match: text, decodedFrom });
    }
  }
  return found;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function decodeBase64Text(value: string): string | undefined {
  const v = value.trim();
  if (v.length < 16 || v.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(v)) return undefined;
  const text = Buffer.from(v, "base64").toString("utf8");
  return /^[\x09\x0a\x0d\x20-\x7e]+$/.test(text) ? text : undefined;
}

export function createInterimDetector(): SecretDetector {
  const rules: DetectorRule[] = [...PATTERN_RULES.map(({ id, title, help, confidence }) => ({ id, title, help, confidence })), KEY_NAME_RULE];
  return {
    rules,
    detect(candidate: ScanCandidate): Detection[] {
      const { key, value } = candidate;
      let found = findPatterns(value, undefined);
      if (found.length === 0) {
        const decoded = decodeBase64Text(value);
        if (decoded !== undefined) found = findPatterns(decoded, "base64");
      }
      if (found.length === 0 && key !== undefined && SECRET_KEY_NAME.test(key) && !isPlaceholder(value) && !value.includes("\n")) {
        const confidence: Confidence = KEY_NAME_RULE.confidence;
        found.push({ ruleId: KEY_NAME_RULE.id, confidence, start: 0, end: value.length, match: value });
      }
      return found;
    },
  };
}
