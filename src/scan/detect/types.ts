import type { Confidence, DetectorRule } from "../detector.js";

/** A credential a rule found in one text: the secret's range and the rule's confidence for it. */
export interface Found {
  start: number;
  end: number;
  confidence: Confidence;
}

/** What a rule knows about the value besides its text. */
export interface RuleContext {
  /** The lower-cased key name ("" when there is none). */
  key: string;
}

/** A named rule: a credential format with literal anchors that any match must contain. */
export interface NamedRule {
  rule: DetectorRule;
  /** Literal substrings (case-sensitive); the rule runs only when the text holds one of them. */
  anchors: readonly string[];
  /** For key-context rules: the rule also runs when the (lower-cased) key matches. */
  keyPattern?: RegExp | undefined;
  find(text: string, context: RuleContext): Found[];
}

interface RegexRuleOptions {
  id: string;
  title: string;
  help?: string;
  confidence: Confidence;
  anchors: readonly string[];
  /** A global regex; with the `d` flag and a `secret` named group, only that group is reported. */
  pattern: RegExp;
  keyPattern?: RegExp;
  /** Checks the reported text; returns the confidence to report (or false to drop the match). */
  verify?: (secret: string, match: RegExpExecArray, context: RuleContext) => Confidence | false;
  /** What the text must also hold, checked before the regex runs (e.g. "@" for URLs with passwords). */
  requires?: string | RegExp;
  /** Drop matches that look like documentation samples (default true). */
  dropSamples?: boolean;
}

const DEFAULT_HELP = "Revoke and rotate this credential, then keep it in an encrypted file (coffer encrypt) or a Secret managed outside Git.";

/** Repeated runs like XXXXXXXX or 00000000, and documentation markers, mark a sample, not a credential. */
const SAMPLE = /(.)\1{7}|EXAMPLE|example|Example/;

export function isSample(text: string): boolean {
  return SAMPLE.test(text);
}

/** A named rule from one regex (compiled once, at module load). */
export function regexRule(options: RegexRuleOptions): NamedRule {
  const { pattern, verify } = options;
  if (!pattern.global) throw new Error(`rule ${options.id}: the pattern must be global`);
  return {
    rule: { id: options.id, title: options.title, help: options.help ?? DEFAULT_HELP, confidence: options.confidence },
    anchors: options.anchors,
    keyPattern: options.keyPattern,
    find(text, context) {
      const found: Found[] = [];
      const requires = options.requires;
      if (requires !== undefined && !(typeof requires === "string" ? text.includes(requires) : requires.test(text))) return found;
      pattern.lastIndex = 0;
      let match: RegExpExecArray | null;
      while ((match = pattern.exec(text)) !== null) {
        if (match[0].length === 0) {
          pattern.lastIndex++;
          continue;
        }
        const range = match.indices?.groups?.["secret"];
        const [start, end] = range ?? [match.index, match.index + match[0].length];
        const secret = text.slice(start, end);
        if (options.dropSamples !== false && isSample(secret)) continue;
        const confidence = verify === undefined ? options.confidence : verify(secret, match, context);
        if (confidence !== false) found.push({ start, end, confidence });
      }
      return found;
    },
  };
}

/**
 * For key-context rules whose pattern matches either a whole value or an assignment inside a text:
 * a whole-value match counts only when the key names the credential.
 */
export function keyedOrAssigned(keyPattern: RegExp, then: (secret: string) => Confidence | false) {
  return (secret: string, match: RegExpExecArray, context: RuleContext): Confidence | false => {
    if (match[0].length === secret.length && !keyPattern.test(context.key)) return false;
    return then(secret);
  };
}
