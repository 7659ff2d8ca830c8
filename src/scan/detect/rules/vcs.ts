// Source hosting and CI tokens: GitHub, GitLab, Bitbucket/Atlassian, CircleCI, Travis.
import { hasCrc32Base62Checksum } from "../text.js";
import { keyedOrAssigned, regexRule, type NamedRule } from "../types.js";

const TRAVIS_KEY = /travis/;

export const vcsRules: NamedRule[] = [
  regexRule({
    id: "github-token",
    title: "GitHub token (personal, OAuth, app or refresh)",
    confidence: "high",
    anchors: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
    // Prefix, 30 random base62 characters and a 6-character base62 CRC32 of them.
    pattern: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g,
    verify: (secret) => (hasCrc32Base62Checksum(secret.slice(4, 34), secret.slice(34)) ? "high" : "medium"),
  }),
  regexRule({
    id: "github-fine-grained-token",
    title: "GitHub fine-grained personal access token",
    confidence: "high",
    anchors: ["github_pat_"],
    pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9_])/g,
  }),
  regexRule({
    id: "gitlab-token",
    title: "GitLab token (personal, deploy, runner, trigger, feed, OAuth...)",
    confidence: "high",
    anchors: ["glpat-", "gldt-", "glrt-", "glptt-", "glft-", "glsoat-", "gloas-", "glimt-", "glagent-", "glcbt-", "GR1348941"],
    pattern:
      /(?<![A-Za-z0-9_-])(?:(?:glpat|gldt|glrt|glft|glsoat|glimt|glcbt)-[A-Za-z0-9_-]{20,}(?:\.[0-9a-z]{2}\.[0-9a-z]{9})?|glptt-[0-9a-f]{40}|gloas-[0-9a-f]{64}|glagent-[A-Za-z0-9_-]{50}|GR1348941[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])/g,
  }),
  regexRule({
    id: "atlassian-token",
    title: "Bitbucket app password or Atlassian API token",
    confidence: "high",
    anchors: ["ATBB", "ATATT3", "ATCTT3"],
    pattern: /(?<![A-Za-z0-9_])(?:ATBB[A-Za-z0-9_=.-]{32}|AT(?:ATT|CTT)3[A-Za-z0-9_=-]{150,220})(?![A-Za-z0-9_=-])/g,
  }),
  regexRule({
    id: "circleci-token",
    title: "CircleCI personal or project API token",
    confidence: "high",
    anchors: ["CCIPAT_", "CCIPRJ_"],
    pattern: /(?<![A-Za-z0-9_])CCIP(?:AT|RJ)_[A-Za-z0-9]{22}_[a-f0-9]{40}(?![A-Za-z0-9_])/g,
  }),
  regexRule({
    id: "travis-token",
    title: "Travis CI API token",
    confidence: "medium",
    anchors: [],
    keyPattern: TRAVIS_KEY,
    pattern: /(?:^|(?:travis|TRAVIS)[A-Za-z_.-]*?(?:token|TOKEN)["']?\s*[:=]\s*["']?)(?<secret>[A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])/dgm,
    verify: keyedOrAssigned(TRAVIS_KEY, () => "medium"),
  }),
];
