// Fake credentials with the real shapes (prefixes, lengths, alphabets, checksums), for the labelled corpus.
// Random bytes from a seeded generator: never real credentials. Each entry: [rule, natural key, make(r)].
import { ALNUM, B64URL, BASE32, BECH32, LETTERS, LOWER_ALNUM, UPPER_ALNUM, checksummedToken, jwt, pem } from "./random.mjs";

/** Credentials recognisable by their own shape: found under any key and inside any text. */
export const SHAPED = [
  ["aws-access-key-id", "AWS_ACCESS_KEY_ID", (r) => r.pick(["AKIA", "ASIA"]) + r.chars(BASE32, 16)],
  ["gcp-api-key", "GOOGLE_API_KEY", (r) => "AIza" + r.chars(B64URL, 35)],
  ["azure-ad-client-secret", "AZURE_CLIENT_SECRET", (r) => r.chars(ALNUM, 3) + r.int(0, 9) + "Q~" + r.chars(ALNUM + "_~.-", 33) + r.chars(ALNUM, 1)],
  ["digitalocean-token", "DIGITALOCEAN_TOKEN", (r) => r.pick(["dop", "doo"]) + "_v1_" + r.hex(64)],
  ["alibaba-access-key-id", "ALIBABA_CLOUD_ACCESS_KEY_ID", (r) => "LTAI" + r.chars(ALNUM, 8) + r.int(10, 99) + r.chars("abcdefghijkmn", 2) + r.chars(ALNUM, 8)],
  ["github-token", "GITHUB_TOKEN", (r) => checksummedToken(r, r.pick(["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]))],
  ["github-fine-grained-token", "GH_TOKEN", (r) => "github_pat_11" + r.chars(UPPER_ALNUM, 20) + "_" + r.chars(ALNUM, 59)],
  ["gitlab-token", "GITLAB_TOKEN", (r) => r.pick(["glpat-", "gldt-", "glrt-"]) + r.chars(B64URL, 20)],
  ["gitlab-token", "CI_TRIGGER_TOKEN", (r) => "glptt-" + r.hex(40)],
  ["atlassian-token", "BITBUCKET_APP_PASSWORD", (r) => "ATBB" + r.chars(ALNUM, 32)],
  ["atlassian-token", "JIRA_API_TOKEN", (r) => "ATATT3xFfGF0" + r.chars(B64URL, 170) + "=" + r.chars(UPPER_ALNUM, 8)],
  ["circleci-token", "CIRCLE_TOKEN", (r) => "CCIPAT_" + r.chars(ALNUM, 22) + "_" + r.hex(40)],
  ["slack-token", "SLACK_BOT_TOKEN", (r) => `xoxb-${r.digits(12)}-${r.digits(13)}-${r.chars(ALNUM, 24)}`],
  ["slack-token", "SLACK_USER_TOKEN", (r) => `xoxp-${r.digits(12)}-${r.digits(12)}-${r.digits(13)}-${r.hex(32)}`],
  ["slack-token", "SLACK_APP_TOKEN", (r) => `xapp-1-A${r.chars(UPPER_ALNUM, 10)}-${r.digits(13)}-${r.hex(64)}`],
  ["slack-webhook", "SLACK_WEBHOOK_URL", (r) => `https://hooks.slack.com/services/T${r.chars(UPPER_ALNUM, 8)}/B${r.chars(UPPER_ALNUM, 10)}/${r.chars(ALNUM, 24)}`],
  ["discord-webhook", "DISCORD_WEBHOOK", (r) => `https://discord.com/api/webhooks/${r.digits(18)}/${r.chars(B64URL, 68)}`],
  ["telegram-bot-token", "TELEGRAM_BOT_TOKEN", (r) => `${r.digits(10)}:AA${r.chars(B64URL, 33)}`],
  ["teams-webhook", "TEAMS_WEBHOOK_URL", (r) => `https://contoso.webhook.office.com/webhookb2/${r.uuid()}@${r.uuid()}/IncomingWebhook/${r.hex(32)}/${r.uuid()}`],
  ["stripe-secret-key", "STRIPE_SECRET_KEY", (r) => r.pick(["sk_live_", "rk_live_"]) + "51" + r.chars(ALNUM, 97)],
  ["stripe-webhook-secret", "STRIPE_WEBHOOK_SECRET", (r) => "whsec_" + r.chars(ALNUM, 32)],
  ["square-token", "SQUARE_ACCESS_TOKEN", (r) => "EAAA" + r.chars(B64URL, 60)],
  ["square-token", "SQUARE_APP_SECRET", (r) => "sq0csp-" + r.chars(B64URL, 43)],
  ["braintree-access-token", "BRAINTREE_ACCESS_TOKEN", (r) => `access_token$production$${r.chars(LOWER_ALNUM, 16)}$${r.hex(32)}`],
  ["sendgrid-api-key", "SENDGRID_API_KEY", (r) => `SG.${r.chars(B64URL, 22)}.${r.chars(B64URL, 43)}`],
  ["mailgun-api-key", "MAILGUN_API_KEY", (r) => "key-" + r.hex(32)],
  ["mailchimp-api-key", "MAILCHIMP_API_KEY", (r) => `${r.hex(32)}-us${r.int(1, 21)}`],
  ["newrelic-key", "NEW_RELIC_API_KEY", (r) => "NRAK-" + r.chars(UPPER_ALNUM, 27)],
  ["newrelic-key", "NEW_RELIC_LICENSE_KEY", (r) => r.hex(36) + "NRAL"],
  ["sentry-dsn", "SENTRY_DSN", (r) => `https://${r.hex(32)}@o${r.digits(6)}.ingest.sentry.io/${r.digits(7)}`],
  ["sentry-token", "SENTRY_AUTH_TOKEN", (r) => "sntryu_" + r.hex(64)],
  ["grafana-token", "GRAFANA_TOKEN", (r) => `glsa_${r.chars(ALNUM, 32)}_${r.hex(8)}`],
  ["grafana-token", "GRAFANA_CLOUD_TOKEN", (r) => "glc_" + Buffer.from(JSON.stringify({ o: r.digits(6), n: "stack-" + r.digits(6) + "-hm-read", k: r.chars(ALNUM, 24), m: { r: "prod-eu-west-0" } })).toString("base64")],
  ["npm-token", "NPM_TOKEN", (r) => checksummedToken(r, "npm_")],
  ["pypi-token", "PYPI_TOKEN", (r) => "pypi-AgEIcHlwaS5vcmc" + r.chars(B64URL, 160)],
  ["rubygems-api-key", "GEM_HOST_API_KEY", (r) => "rubygems_" + r.hex(48)],
  ["dockerhub-token", "DOCKERHUB_TOKEN", (r) => "dckr_pat_" + r.chars(B64URL, 27)],
  ["openai-api-key", "OPENAI_API_KEY", (r) => `sk-proj-${r.chars(B64URL, 74)}T3BlbkFJ${r.chars(B64URL, 74)}`],
  ["openai-api-key", "OPENAI_KEY", (r) => `sk-${r.chars(ALNUM, 20)}T3BlbkFJ${r.chars(ALNUM, 20)}`],
  ["anthropic-api-key", "ANTHROPIC_API_KEY", (r) => `sk-ant-api03-${r.chars(B64URL, 93)}AA`],
  ["huggingface-token", "HF_TOKEN", (r) => "hf_" + r.chars(LETTERS, 34)],
  ["twilio-api-key", "TWILIO_API_KEY", (r) => "SK" + r.hex(32)],
  ["shopify-token", "SHOPIFY_ACCESS_TOKEN", (r) => r.pick(["shpat_", "shpss_"]) + r.hex(32)],
  ["vault-token", "VAULT_TOKEN", (r) => "hvs.CAESI" + r.chars(B64URL, 86)],
  ["terraform-cloud-token", "TFE_TOKEN", (r) => `${r.chars(ALNUM, 14)}.atlasv1.${r.chars(B64URL, 67)}`],
  ["age-secret-key", "SOPS_AGE_KEY", (r) => "AGE-SECRET-KEY-1" + r.chars(BECH32, 58).toUpperCase()],
  ["doppler-token", "DOPPLER_TOKEN", (r) => "dp.st.prd." + r.chars(ALNUM, 40)],
  ["tailscale-key", "TS_AUTHKEY", (r) => `tskey-auth-k${r.chars(ALNUM, 10)}CNTRL-${r.chars(ALNUM, 33)}`],
  ["pulumi-token", "PULUMI_ACCESS_TOKEN", (r) => "pul-" + r.hex(40)],
  ["databricks-token", "DATABRICKS_TOKEN", (r) => "dapi" + r.hex(32)],
  ["linear-api-key", "LINEAR_API_KEY", (r) => "lin_api_" + r.chars(ALNUM, 40)],
  ["figma-token", "FIGMA_TOKEN", (r) => `figd_${r.chars(B64URL, 40)}`],
  ["jwt", "SERVICE_ACCOUNT_TOKEN", (r) => jwt(r, { iss: "kubernetes/serviceaccount", "kubernetes.io/serviceaccount/namespace": "prod", sub: "system:serviceaccount:prod:deployer", iat: 1700000000 + r.int(0, 9e6) })],
  ["jwt", "ID_TOKEN", (r) => jwt(r, { sub: r.uuid(), aud: "api", exp: 1800000000 + r.int(0, 9e6), scope: "read write" })],
];

/** Credentials that only their key name identifies (no prefix): found under the right key. */
export const KEYED = [
  ["aws-secret-access-key", "AWS_SECRET_ACCESS_KEY", (r) => r.chars(ALNUM + "/+", 40)],
  ["azure-storage-key", "AZURE_STORAGE_ACCOUNT_KEY", (r) => r.b64(64)],
  ["datadog-api-key", "DD_API_KEY", (r) => r.hex(32)],
  ["datadog-api-key", "DATADOG_APP_KEY", (r) => r.hex(40)],
  ["twilio-auth-token", "TWILIO_AUTH_TOKEN", (r) => r.hex(32)],
  ["postmark-token", "POSTMARK_SERVER_TOKEN", (r) => r.uuid()],
  ["heroku-api-key", "HEROKU_API_KEY", (r) => r.uuid()],
  ["generic-secret", "JWT_SECRET", (r) => r.chars(ALNUM, r.int(32, 64))],
  ["generic-secret", "SESSION_SECRET", (r) => r.b64(32)],
  ["generic-secret", "ENCRYPTION_KEY", (r) => r.b64(32)],
  ["generic-secret", "HMAC_SIGNING_KEY", (r) => r.hex(64)],
  ["generic-secret", "OAUTH_CLIENT_SECRET", (r) => r.chars(B64URL, 40)],
  ["generic-secret", "api_key", (r) => r.chars(ALNUM, 32)],
  ["generic-secret", "x-api-token", (r) => r.chars(LOWER_ALNUM, 40)],
  ["generic-secret", "webhookSecret", (r) => r.hex(40)],
  ["generic-secret", "CLOUDFLARE_API_TOKEN", (r) => r.chars(B64URL, 40)],
  ["generic-secret", "auth", (r) => "Bearer " + r.chars(ALNUM, 40)],
];

const WORDS = ["summer", "winter", "dragon", "purple", "monkey", "coffee", "falcon", "rocket", "silver", "tiger", "harbor", "maple"];

/** Passwords as people and generators write them. */
export const PASSWORDS = [
  (r) => r.pick(WORDS)[0].toUpperCase() + r.pick(WORDS).slice(1) + r.int(1990, 2026) + r.pick(["!", "#", "$", "@", ""]),
  (r) => r.chars(ALNUM + "!@#%^&*-_", r.int(12, 24)),
  (r) => r.chars(ALNUM, r.int(8, 20)),
  (r) => r.chars("aeiou", 1).toUpperCase() + r.chars("bcdfghjklmnpqrstvwxz", 2) + r.int(0, 9) + r.chars("aeiouxyz", 4),
  (r) => `${r.pick(WORDS)}-${r.pick(WORDS)}-${r.int(10, 99)}-${r.pick(WORDS)}`,
  (r) => r.b64(18),
];
export const PASSWORD_KEYS = ["DB_PASSWORD", "POSTGRES_PASSWORD", "MYSQL_ROOT_PASSWORD", "redis-password", "rabbitmq.password", "adminPassword", "SMTP_PASS", "ldap_bind_pw", "KEYSTORE_PASSPHRASE", "password"];

/** Private keys of every armour kind (random bodies). */
export const PRIVATE_KEYS = [
  ["private-key", "tls.key", (r) => pem(r, "RSA PRIVATE KEY", 1190)],
  ["private-key", "key.pem", (r) => pem(r, "PRIVATE KEY", 1216)],
  ["private-key", "ec.key", (r) => pem(r, "EC PRIVATE KEY", 121)],
  ["private-key", "dsa.key", (r) => pem(r, "DSA PRIVATE KEY", 440)],
  ["private-key", "encrypted.key", (r) => pem(r, "ENCRYPTED PRIVATE KEY", 1300)],
  ["private-key", "legacy-encrypted.key", (r) => pem(r, "RSA PRIVATE KEY", 1190, `Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,${r.hex(32).toUpperCase()}\n\n`)],
  ["private-key", "id_ed25519", (r) => pem(r, "OPENSSH PRIVATE KEY", 300)],
  ["private-key", "signing.asc", (r) => pem(r, "PGP PRIVATE KEY BLOCK", 900, "\n")],
  ["putty-private-key", "deploy.ppk", (r) => `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\nPublic-Lines: 2\n${r.b64(51).match(/.{1,64}/g).join("\n")}\nPrivate-Lines: 1\n${r.b64(48)}\nPrivate-MAC: ${r.hex(64)}\n`],
];
