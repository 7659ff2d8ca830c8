/**
 * `coffer audit apiserver`: the kube-apiserver static Pod manifest (flag, mount, file on the
 * host), then the EncryptionConfiguration it points at. On a managed control plane it says so
 * and exits EXIT_NOT_APPLICABLE instead of failing.
 */
import { existsSync, readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { APISERVER_RULES, apiserverFinding, inspectApiserverManifest } from "../../audit/apiserver-manifest.js";
import { auditEncryptionConfigText, encryptionConfigSummary, reportFindingsWithErrors, type EncryptionConfigReport } from "../../audit/encryption-audit.js";
import { ENCRYPTION_CONFIG_RULES } from "../../audit/encryption-rules.js";
import { detectManagedProvider, MANAGED_GUIDANCE, type ManagedProvider } from "../../audit/managed.js";
import { findingsToSarif, locateFindings, sortFindings, type Finding } from "../../audit/report.js";
import { CofferError } from "../../errors.js";
import { readInput } from "../../io/index.js";
import { kubeconfigFiles } from "../../kube/kubeconfig.js";
import type { CliContext } from "../context.js";
import { EXIT_NOT_APPLICABLE } from "../exit.js";
import { VERSION } from "../program.js";
import { MAX_CONFIG_BYTES, displayPath } from "./audit-encryption-config.js";
import { kubeMinorFlag, printAuditReport } from "./audit-output.js";

export async function runAuditApiserver(context: CliContext, flags: Record<string, unknown>): Promise<void> {
  const manifestFlag = typeof flags.manifest === "string" ? flags.manifest : "/etc/kubernetes/manifests/kube-apiserver.yaml";
  const manifest = resolve(context.cwd, manifestFlag);
  if (typeof flags.provider === "string") {
    notApplicable(context, flags, manifestFlag, flags.provider as ManagedProvider, `--provider ${flags.provider}`);
    return;
  }
  if (!existsSync(manifest)) {
    const hint = detectManagedProvider(kubeconfigTexts(context, flags));
    if (hint !== undefined) {
      notApplicable(context, flags, manifestFlag, hint.provider, hint.evidence);
      return;
    }
    throw new CofferError("INPUT_UNREADABLE", `no kube-apiserver manifest at ${manifestFlag}`, {
      hint: "run on a control-plane node (as root), pass --manifest, or --provider eks|gke|aks for a managed cluster",
    });
  }
  const inspection = inspectApiserverManifest(new TextDecoder().decode(await readInput(manifest, { maxBytes: MAX_CONFIG_BYTES })));
  const kubeMinor = kubeMinorFlag(flags.kubeVersion) ?? inspection.kubeMinor;
  const manifestName = displayPath(context.cwd, manifest);
  const findings: Finding[] = [...inspection.findings];
  let config: EncryptionConfigReport | null = null;
  let hostFile: string | undefined;
  if (inspection.hostPath !== undefined) {
    hostFile = join(typeof flags.hostRoot === "string" ? resolve(context.cwd, flags.hostRoot) : "/", inspection.hostPath);
    if (!existsSync(hostFile)) {
      findings.push(apiserverFinding("apiserver-config-missing", inspection.mount?.path ?? inspection.containerPath, `${inspection.configPath ?? ""} is mounted from ${inspection.hostPath}, which does not exist on the host: kube-apiserver will not start`));
    } else {
      const fileStat = await stat(hostFile);
      const audited = auditEncryptionConfigText(new TextDecoder().decode(await readInput(hostFile, { maxBytes: MAX_CONFIG_BYTES })), {
        file: displayPath(context.cwd, hostFile),
        stat: fileStat.isFile() ? { mode: fileStat.mode, uid: fileStat.uid } : undefined,
        kubeMinor,
        automaticReload: inspection.automaticReload,
      });
      config = audited.report;
      const kmsV1 = audited.parsed.model.entries.some((entry) => entry.keys.some((key) => key.provider === "kms" && key.kmsApiVersion === "v1"));
      if (kmsV1 && kubeMinor !== undefined && kubeMinor >= 29 && !inspection.kmsV1Gate) {
        findings.push(apiserverFinding("apiserver-kms-v1-gate", inspection.containerPath, `the config uses KMS v1 and the image is 1.${kubeMinor}, without --feature-gates=KMSv1=true`));
      }
    }
  }
  const located = sortFindings(locateFindings(findings, manifestName, inspection.positionOf));
  const all = sortFindings([...located, ...(config === null ? [] : reportFindingsWithErrors(config))]);
  printAuditReport(context, flags, {
    json: {
      manifest: manifestName,
      applicable: true,
      kubeVersion: kubeMinor === undefined ? null : `1.${kubeMinor}`,
      encryptionProviderConfig: {
        flag: inspection.configPath ?? null,
        automaticReload: inspection.automaticReload,
        mountPath: inspection.mount?.mountPath ?? null,
        hostPath: inspection.hostPath ?? null,
        exists: hostFile === undefined ? null : existsSync(hostFile),
      },
      valid: config?.valid ?? null,
      secretsEncrypted: config?.secretsEncrypted ?? false,
      config,
      findings: [...located, ...(config?.findings ?? [])],
    },
    summary: `manifest: ${manifestName}\nencryption-provider-config: ${inspection.configPath ?? "NOT SET"}${inspection.hostPath === undefined ? "" : ` (host: ${inspection.hostPath})`}\n${config === null ? "\n" : encryptionConfigSummary(config)}`,
    findings: all,
    rules: [...APISERVER_RULES, ...ENCRYPTION_CONFIG_RULES],
    failed: config !== null && !config.valid,
  });
}

/** The texts of the kubeconfig files kubectl would read; unreadable or missing ones are skipped. */
function kubeconfigTexts(context: CliContext, flags: Record<string, unknown>): string[] {
  let files: string[];
  try {
    files = kubeconfigFiles({
      kubeconfig: typeof flags.kubeconfig === "string" ? resolve(context.cwd, flags.kubeconfig) : undefined,
      env: context.env,
      homeDir: context.env.HOME ?? context.provider.homeDir,
    });
  } catch {
    return []; // a --kubeconfig that does not exist: no hint, as for an unreadable file
  }
  return files.flatMap((file) => {
    try {
      return [readFileSync(file, "utf8")];
    } catch {
      return [];
    }
  });
}

function notApplicable(context: CliContext, flags: Record<string, unknown>, manifest: string, provider: ManagedProvider, evidence: string): void {
  const guidance = MANAGED_GUIDANCE[provider];
  const reason = `${guidance.name} manages the control plane: kube-apiserver's manifest, its encryption config and etcd are not reachable (${evidence})`;
  const json = { manifest, applicable: false, provider, evidence, reason, setting: guidance.setting, check: guidance.check };
  const format = flags.outputFormat;
  context.terminal.stdout.write(
    format === "json"
      ? `${JSON.stringify(json, null, 2)}\n`
      : format === "sarif"
        ? findingsToSarif([], APISERVER_RULES, VERSION)
        : `not applicable: ${reason}.\nencryption at rest there is a provider setting: ${guidance.setting}.\ncheck it with: ${guidance.check}\n`,
  );
  context.exitStatus = EXIT_NOT_APPLICABLE;
}
