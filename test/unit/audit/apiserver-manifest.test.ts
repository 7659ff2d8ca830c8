import { describe, expect, it } from "vitest";
import { inspectApiserverManifest } from "../../../src/audit/apiserver-manifest.js";
import { errorCodeOf } from "../../helpers/errors.js";
import { apiserverManifestYaml, type ManifestOptions } from "../../helpers/kube-audit.js";

function manifest(options: ManifestOptions): string {
  return apiserverManifestYaml({ sidecar: true, volumes: "    - {name: enc, hostPath: {path: /srv/enc, type: DirectoryOrCreate}}", ...options });
}

const ids = (text: string): string[] => inspectApiserverManifest(text).findings.map((finding) => finding.id);

describe("inspectApiserverManifest", () => {
  it("finds the flag, the covering mount and the file on the host (through the hostPath)", () => {
    const inspection = inspectApiserverManifest(manifest({}));
    expect(inspection.containerPath).toBe("spec.containers[1]");
    expect(inspection.configPath).toBe("/etc/kubernetes/enc/enc.yaml");
    expect(inspection.hostPath).toBe("/srv/enc/enc.yaml");
    expect(inspection.kubeMinor).toBe(30);
    expect(inspection.findings).toEqual([]);
  });

  it("reads '--flag value' from args and the most specific mount, with its subPath", () => {
    const inspection = inspectApiserverManifest(
      manifest({
        command: ["kube-apiserver"],
        args: ["--encryption-provider-config", "/etc/kubernetes/enc/conf/enc.yaml", "--encryption-provider-config-automatic-reload"],
        mounts: ["        - {name: k8s, mountPath: /etc/kubernetes, readOnly: true}", "        - {name: enc, mountPath: /etc/kubernetes/enc/, subPath: cluster-a, readOnly: true}"].join("\n"),
        volumes: ["    - {name: k8s, hostPath: {path: /etc/kubernetes}}", "    - {name: enc, hostPath: {path: /srv/enc}}"].join("\n"),
      }),
    );
    expect(inspection.hostPath).toBe("/srv/enc/cluster-a/conf/enc.yaml");
    expect(inspection.automaticReload).toBe(true);
  });

  it("reports a missing flag as critical, naming the reload flag that does nothing alone", () => {
    const inspection = inspectApiserverManifest(manifest({ command: ["kube-apiserver", "--encryption-provider-config-automatic-reload=true"] }));
    expect(inspection.findings.map((f) => [f.id, f.severity])).toEqual([["apiserver-encryption-disabled", "critical"]]);
    expect(inspection.findings[0]?.message).toContain("automatic-reload");
  });

  it("reports a path no volumeMount covers (a sibling directory with a common prefix does not count)", () => {
    expect(ids(manifest({ command: ["kube-apiserver", "--encryption-provider-config=/etc/kubernetes/encryption.yaml"] }))).toEqual(["apiserver-config-not-mounted"]);
    expect(ids(manifest({ command: ["kube-apiserver", "--encryption-provider-config=/etc/kubernetes/enc2/e.yaml"] }))).toEqual(["apiserver-config-not-mounted"]);
  });

  it("reports a writable mount and a volume that is not a hostPath", () => {
    expect(ids(manifest({ mounts: "        - {name: enc, mountPath: /etc/kubernetes/enc}" }))).toEqual(["apiserver-config-mount-writable"]);
    const fromSecret = inspectApiserverManifest(manifest({ volumes: "    - {name: enc, secret: {secretName: enc}}" }));
    expect(fromSecret.findings.map((f) => f.id)).toEqual(["apiserver-config-not-host-path"]);
    expect(fromSecret.hostPath).toBeUndefined();
  });

  it("places findings on the manifest's lines", () => {
    const inspection = inspectApiserverManifest(manifest({ command: ["kube-apiserver", "--encryption-provider-config=/elsewhere/enc.yaml"] }));
    const finding = inspection.findings[0];
    expect(finding?.path).toBe("spec.containers[1].command[1]");
    expect(inspection.positionOf(finding?.path ?? "")?.line).toBe(12);
  });

  it("refuses a file without a kube-apiserver container, or not YAML", () => {
    expect(errorCodeOf(() => inspectApiserverManifest("apiVersion: v1\nkind: Pod\nspec: {containers: [{name: web, image: nginx}]}\n"))).toBe("FORMAT_INVALID");
    expect(errorCodeOf(() => inspectApiserverManifest("spec: [unclosed\n"))).toBe("FORMAT_INVALID");
  });
});
