// Payment providers: Stripe, Square, PayPal/Braintree.
import { regexRule, type NamedRule } from "../types.js";

export const paymentRules: NamedRule[] = [
  regexRule({
    id: "stripe-secret-key",
    title: "Stripe secret or restricted key",
    confidence: "high",
    anchors: ["sk_live_", "rk_live_", "sk_test_", "rk_test_"],
    pattern: /(?<![A-Za-z0-9_])[sr]k_(?:live|test)_[A-Za-z0-9]{24,247}(?![A-Za-z0-9_])/g,
    // Test-mode keys cannot move money but still open the account's test data.
    verify: (secret) => (secret.includes("_live_") ? "high" : "medium"),
  }),
  regexRule({
    id: "stripe-webhook-secret",
    title: "Stripe webhook signing secret",
    confidence: "high",
    anchors: ["whsec_"],
    pattern: /(?<![A-Za-z0-9_])whsec_[A-Za-z0-9]{32,64}(?![A-Za-z0-9_])/g,
  }),
  regexRule({
    id: "square-token",
    title: "Square access token or application secret",
    confidence: "high",
    anchors: ["sq0atp-", "sq0csp-", "EAAA"],
    pattern: /(?<![A-Za-z0-9_-])(?:sq0atp-[A-Za-z0-9_-]{22}|sq0csp-[A-Za-z0-9_-]{43}|EAAA[A-Za-z0-9_-]{60})(?![A-Za-z0-9_-])/g,
  }),
  regexRule({
    id: "braintree-access-token",
    title: "PayPal Braintree access token",
    confidence: "high",
    anchors: ["access_token$"],
    pattern: /access_token\$(?:production|sandbox)\$[a-z0-9]{16}\$[a-f0-9]{32}/g,
  }),
];
