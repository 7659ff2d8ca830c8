// Package registries: npm, PyPI, RubyGems, Docker Hub.
import { hasCrc32Base62Checksum } from "../text.js";
import { regexRule, type NamedRule } from "../types.js";

export const packageRules: NamedRule[] = [
  regexRule({
    id: "npm-token",
    title: "npm access token",
    confidence: "high",
    anchors: ["npm_"],
    // Like GitHub's: 30 random base62 characters and a base62 CRC32 checksum.
    pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g,
    verify: (secret) => (hasCrc32Base62Checksum(secret.slice(4, 34), secret.slice(34)) ? "high" : "medium"),
  }),
  regexRule({
    id: "pypi-token",
    title: "PyPI upload token",
    confidence: "high",
    anchors: ["pypi-AgE"],
    // A macaroon whose first caveat names pypi.org (or test.pypi.org).
    pattern: /(?<![A-Za-z0-9_-])pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,}(?![A-Za-z0-9_-])/g,
  }),
  regexRule({
    id: "rubygems-api-key",
    title: "RubyGems API key",
    confidence: "high",
    anchors: ["rubygems_"],
    pattern: /(?<![A-Za-z0-9_])rubygems_[a-f0-9]{48}(?![A-Za-z0-9_])/g,
  }),
  regexRule({
    id: "dockerhub-token",
    title: "Docker Hub personal access token",
    confidence: "high",
    anchors: ["dckr_pat_", "dckr_oat_"],
    pattern: /(?<![A-Za-z0-9_])dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,32}(?![A-Za-z0-9_-])/g,
  }),
];
