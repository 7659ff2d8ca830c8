/**
 * Which leaves are encrypted (spec §3): the six mutually exclusive selectors, the `_unencrypted`
 * default, and the comment stack used by the two comment-regex rules. Mirrors sops'
 * `shouldBeEncrypted` exactly, including its quirks.
 */
import { CofferError } from "../errors.js";
import type { ErrorCode } from "../errors.js";
import { compileRe2 } from "./re2.js";

/** The metadata / config field names of the six selectors. */
export const CRYPT_RULE_KINDS = [
  "unencrypted_suffix",
  "encrypted_suffix",
  "unencrypted_regex",
  "encrypted_regex",
  "unencrypted_comment_regex",
  "encrypted_comment_regex",
] as const;

export type CryptRuleKind = (typeof CRYPT_RULE_KINDS)[number];

/** One crypt selector and its suffix or RE2 pattern. */
export interface CryptRule {
  kind: CryptRuleKind;
  value: string;
}

/** What sops uses when no selector is set. */
export const DEFAULT_CRYPT_RULE: Readonly<CryptRule> = Object.freeze({
  kind: "unencrypted_suffix",
  value: "_unencrypted",
});

export function isCryptRuleKind(name: string): name is CryptRuleKind {
  return (CRYPT_RULE_KINDS as readonly string[]).includes(name);
}

/**
 * Picks the single selector among `fields` (empty strings count as unset, as in sops).
 * Returns undefined when none is set; throws `CRYPT_RULE_CONFLICT` when two or more are.
 */
export function selectCryptRule(fields: Partial<Record<CryptRuleKind, string | undefined>>): CryptRule | undefined {
  const set = CRYPT_RULE_KINDS.filter((kind) => {
    const value = fields[kind];
    return value !== undefined && value !== "";
  });
  if (set.length > 1) {
    throw new CofferError("CRYPT_RULE_CONFLICT", `only one crypt rule may be set, found ${set.join(", ")}`, {
      hint: "keep one of unencrypted_suffix, encrypted_suffix, unencrypted_regex, encrypted_regex, unencrypted_comment_regex, encrypted_comment_regex",
    });
  }
  const kind = set[0];
  return kind === undefined ? undefined : { kind, value: fields[kind]! };
}

/** A crypt rule prepared for evaluation: regexes compiled once, comment matches cached. */
export interface CompiledCryptRule {
  readonly rule: CryptRule;
  /** True for the two comment-regex rules, which need the comment stack. */
  readonly usesComments: boolean;
  /** Whether one path element (map key) matches a path-based rule. */
  matchesKey(key: string): boolean;
  /** Whether one comment text matches a comment-regex rule. */
  matchesComment(text: string): boolean;
  /**
   * Decides a leaf. `pathMatched` = whether any path element matched ({@link matchesKey});
   * `stack` = active comment groups, innermost last; `isComment` = the leaf is a comment.
   */
  decide(pathMatched: boolean, stack: readonly (readonly string[])[], isComment: boolean): boolean;
}

/** Compiles `rule` (undefined = the `_unencrypted` default). Bad regexes throw with `code`. */
export function compileCryptRule(rule: CryptRule | undefined, code: ErrorCode = "METADATA_INVALID"): CompiledCryptRule {
  const effective = rule ?? DEFAULT_CRYPT_RULE;
  const { kind, value } = effective;
  const isRegex = kind.endsWith("_regex");
  const regex = isRegex ? compileRe2(value, code) : undefined;
  const test = (text: string): boolean => {
    // Global/sticky regexes keep state; ours never have those flags, so `test` is pure.
    return regex!.test(text);
  };
  const cache = new Map<string, boolean>();
  const matchesComment = (text: string): boolean => {
    if (regex === undefined || !kind.endsWith("_comment_regex")) return false;
    let hit = cache.get(text);
    if (hit === undefined) {
      hit = test(text);
      cache.set(text, hit);
    }
    return hit;
  };
  const matchesKey = (key: string): boolean => {
    switch (kind) {
      case "unencrypted_suffix":
      case "encrypted_suffix":
        return key.endsWith(value);
      case "unencrypted_regex":
      case "encrypted_regex":
        return test(key);
      default:
        return false;
    }
  };
  const anyComment = (stack: readonly (readonly string[])[], skipLast: boolean): boolean => {
    const lastGroup = stack.length - 1;
    for (let i = 0; i < stack.length; i++) {
      const group = stack[i]!;
      for (let j = 0; j < group.length; j++) {
        // sops skips the comment being decided itself (the last of the innermost group).
        if (skipLast && i === lastGroup && j === group.length - 1) continue;
        if (matchesComment(group[j]!)) return true;
      }
    }
    return false;
  };
  const decide = (pathMatched: boolean, stack: readonly (readonly string[])[], isComment: boolean): boolean => {
    switch (kind) {
      case "unencrypted_suffix":
      case "unencrypted_regex":
        return !pathMatched;
      case "encrypted_suffix":
      case "encrypted_regex":
        return pathMatched;
      case "unencrypted_comment_regex":
        return !anyComment(stack, false);
      case "encrypted_comment_regex":
        return anyComment(stack, isComment);
    }
  };
  return { rule: effective, usesComments: kind.endsWith("_comment_regex"), matchesKey, matchesComment, decide };
}

/**
 * Decides one leaf from its full path (map keys, container path for comments) and comment stack:
 * the direct form of sops' `shouldBeEncrypted`, for callers outside the tree walk.
 */
export function shouldEncrypt(
  rule: CompiledCryptRule,
  leaf: { path: readonly string[]; commentStack?: readonly (readonly string[])[]; isComment?: boolean },
): boolean {
  const pathMatched = leaf.path.some((key) => rule.matchesKey(key));
  return rule.decide(pathMatched, leaf.commentStack ?? [[]], leaf.isComment ?? false);
}
