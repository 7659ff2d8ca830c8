// Hand-written items in the shapes real repositories use (XML, INI, TOML, shell, compose, kubeconfig,
// JAAS...), added after the detector was written: a check that it is not tuned to the generated corpus only.
import { ALNUM, B64URL, checksummedToken, jwt, pem } from "./random.mjs";

const b64 = (text) => Buffer.from(text).toString("base64");

export function wild(r) {
  const items = [];
  const pw = () => r.chars(ALNUM, r.int(10, 16));
  const pos = (rule, key, value, note, render) => items.push({ id: `wild-pos-${items.length + 1}`, label: true, rule, embed: "wild", key, value, note, ...(render ? { render } : {}) });
  const neg = (key, value, note) => items.push({ id: `wild-neg-${items.length + 1}`, label: false, kind: "wild", key, value, note });

  pos("generic-password", "context.xml", `<Context>\n  <Resource name="jdbc/app" username="app" password="${pw()}" url="jdbc:postgresql://db/app"/>\n</Context>\n`, "XML attribute");
  pos("generic-password", "settings.xml", `<settings><servers><server><id>nexus</id><username>deploy</username><password>${pw()}</password></server></servers></settings>`, "XML element");
  pos("generic-password", "app.ini", `[database]\nhost = db.internal\nuser = app\npassword = ${pw()}\n`, "INI");
  pos("generic-password", "config.toml", `[redis]\naddress = "redis:6379"\npassword = "${pw()}"\n`, "TOML");
  pos("generic-password", "entrypoint.sh", `#!/bin/sh\nexport PGPASSWORD='${pw()}'\nexec psql -h db -U app\n`, "shell export");
  pos("generic-password", "docker-compose.yml", `services:\n  db:\n    image: mysql:8\n    environment:\n      - MYSQL_PASSWORD=${pw()}\n      - MYSQL_DATABASE=shop\n`, "compose env list");
  pos("generic-password", "values.yaml", `postgresql:\n  auth:\n    username: app\n    password: ${pw()}\n    database: app\n`, "nested Helm values");
  pos("generic-secret", "headers", `Authorization: Basic ${b64(`svc:${pw()}`)}`, "basic auth header");
  pos("generic-secret", "kubeconfig", `apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    token: ${r.chars(ALNUM, 40)}\n`, "kubeconfig token");
  pos("private-key", "client-key-data", b64(pem(r, "RSA PRIVATE KEY", 1190)), "kubeconfig client-key-data");
  pos("generic-password", "terraform.tfvars", `region      = "eu-west-1"\ndb_password = "${pw()}"\n`, "tfvars");
  pos("github-token", "remote", `https://x-access-token:${checksummedToken(r, "ghs_")}@github.com/corp/infra.git`, "token in a git remote");
  pos("github-token", "password", checksummedToken(r, "ghp_"), "ArgoCD repo credential");
  pos("generic-password", "db_pass", pw(), "short key name");
  pos("generic-password", "JAVA_OPTS", `-Xmx512m -Djavax.net.ssl.keyStorePassword=${pw()} -Dfile.encoding=UTF-8`, "JVM option");
  pos("connection-string-password", "ConnectionStrings__Npgsql", `Host=db;Username=app;Password=${pw()};Database=orders`, "Npgsql");
  pos("url-password", "SMTP_URL", `smtp://mailer:${pw()}@smtp.mail.corp:587`, "SMTP URL");
  pos("generic-password", "passphrase", `${r.pick(["blue", "red"])} ocean ${r.int(2, 9)} tigers`, "passphrase with spaces");
  pos("jwt", "Authorization", `Bearer ${jwt(r, { sub: "svc", iat: 1700000000 })}`, "JWT bearer header");
  pos("generic-password", "server.properties", `sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="svc" password="${pw()}";\n`, "Kafka JAAS");
  pos("generic-secret", "client-secret", r.chars(B64URL, 34), "OIDC client secret");
  pos("generic-secret", "cookieSecret", r.b64(24), "oauth2-proxy cookie secret");
  pos("generic-secret", "admin-token", r.chars(ALNUM, 24), "admin token");
  pos("generic-password", "rootPassword", pw(), "root password");
  pos("generic-secret", "GRAFANA_API_KEY", "eyJrIjoi" + b64(JSON.stringify({ k: r.chars(ALNUM, 32), n: "ci", id: 1 })).slice(8), "legacy Grafana API key");

  neg("context.xml", `<Resource name="jdbc/app" username="app" password="\${db.password}"/>`, "XML with reference");
  neg("settings.xml", "<server><id>nexus</id><username>deploy</username><password></password></server>", "empty XML password");
  neg("app.ini", "[database]\nhost = db.internal\npassword =\n", "empty INI password");
  neg("password", "", "empty value");
  neg("secretKeyRef", "name: db\nkey: password", "secretKeyRef block");
  neg("client-certificate-data", b64(pem(r, "CERTIFICATE", 800)), "kubeconfig certificate");
  neg("token", "{{ .Values.token | b64enc | quote }}", "Helm template");
  neg("server.properties", 'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="svc" password="${KAFKA_PASSWORD}";\n', "JAAS with reference");
  neg("JAVA_OPTS", "-Xmx512m -Dspring.profiles.active=prod -XX:+UseG1GC", "JVM options");
  neg("secret_version", "3", "version");
  neg("token_hash", r.chars("0123456789abcdef", 64), "hash of a token");
  neg("api_key_id", `${r.chars("0123456789abcdef", 8)}-${r.chars("0123456789abcdef", 4)}-4${r.chars("0123456789abcdef", 3)}-a${r.chars("0123456789abcdef", 3)}-${r.chars("0123456789abcdef", 12)}`, "key id");
  neg("passwordless", "true", "flag");
  neg("repoURL", "https://github.com/corp/infra.git", "git URL without credentials");
  neg("headers", "Authorization: Bearer ${API_TOKEN}", "header with reference");
  neg("dashboard.json", JSON.stringify({ datasource: { type: "prometheus", uid: r.chars(ALNUM, 9) }, title: "Orders" }), "Grafana dashboard");
  neg("cookie_secret_length", "32", "length");
  neg("openapi.yaml", "components:\n  securitySchemes:\n    apiKey:\n      type: apiKey\n      in: header\n      name: X-API-KEY\n", "OpenAPI security scheme");
  neg("ssh_host_key_fingerprint", `SHA256:${r.b64(32).replace(/=+$/, "")}`, "SSH fingerprint");
  neg("AWS_ACCESS_KEY_ID", "${AWS_ACCESS_KEY_ID}", "reference");
  neg("Content-Security-Policy", `script-src 'self' 'nonce-${r.b64(16)}'`, "CSP nonce");
  neg("password.encoder", "bcrypt", "encoder name");
  neg("token_endpoint_auth_method", "client_secret_post", "OAuth setting");
  neg("features.json", JSON.stringify({ token: true, secret: false, auth: "oidc" }), "feature flags");
  neg("htpasswd", "admin:$apr1$" + r.chars(ALNUM, 8) + "$" + r.chars(ALNUM + "./", 22), "htpasswd hash");
  neg("PASSWORD_REGEX", "^(?=.*[A-Z])(?=.*\\d).{12,}$", "password rule");
  neg("AUTH_HEADER", "X-Auth-Token", "header name");
  neg("secretGenerator", "db-secret-7f8c9d", "generated secret name");
  return items;
}
