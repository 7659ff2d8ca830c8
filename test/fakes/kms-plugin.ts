/**
 * A KMS v1 plugin for kube-apiserver 1.20: gRPC `v1beta1.KeyManagementService` (Version, Encrypt,
 * Decrypt) with real AES-256-GCM under a key of its own. kube-apiserver (Go) reaches it at
 * `unix:///@NAME`, an abstract socket; Go sizes that address to the whole sun_path, so NAME must
 * be exactly 107 characters for Node's listener (which does the same) to be the same address.
 * grpc-js cannot listen there itself, so a net.Server takes the connections and hands them to the
 * gRPC server through `createConnectionInjector`.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { createServer, type Server as NetServer } from "node:net";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

/** The v1beta1 KMS service (k8s.io/apiserver/pkg/storage/value/encrypt/envelope/v1beta1/service.proto). */
const SERVICE = {
  nested: {
    v1beta1: {
      nested: {
        KeyManagementService: {
          methods: {
            Version: { requestType: "VersionRequest", responseType: "VersionResponse" },
            Decrypt: { requestType: "DecryptRequest", responseType: "DecryptResponse" },
            Encrypt: { requestType: "EncryptRequest", responseType: "EncryptResponse" },
          },
        },
        VersionRequest: { fields: { version: { type: "string", id: 1 } } },
        VersionResponse: {
          fields: { version: { type: "string", id: 1 }, runtime_name: { type: "string", id: 2 }, runtime_version: { type: "string", id: 3 } },
        },
        DecryptRequest: { fields: { version: { type: "string", id: 1 }, cipher: { type: "bytes", id: 2 } } },
        DecryptResponse: { fields: { plain: { type: "bytes", id: 1 } } },
        EncryptRequest: { fields: { version: { type: "string", id: 1 }, plain: { type: "bytes", id: 2 } } },
        EncryptResponse: { fields: { cipher: { type: "bytes", id: 1 } } },
      },
    },
  },
};

export interface KmsPlugin {
  /** For the EncryptionConfiguration: `unix:///@NAME`. */
  endpoint: string;
  /** The plugin's own key (AES-256). */
  key: Buffer;
  /** What Encrypt/Decrypt calls it has answered. */
  calls: { encrypt: number; decrypt: number };
  /** Undo this plugin's Encrypt: nonce(12) + ciphertext + tag(16). */
  decrypt(cipher: Buffer): Buffer;
  close(): Promise<void>;
}

/** The only length of abstract socket name Go and Node agree on (sun_path is 108 bytes). */
const ABSTRACT_NAME_LENGTH = 107;

export async function startKmsPlugin(): Promise<KmsPlugin> {
  const key = randomBytes(32);
  const calls = { encrypt: 0, decrypt: 0 };
  const seal = (plain: Buffer): Buffer => {
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, nonce);
    return Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  };
  const open = (sealed: Buffer): Buffer => {
    const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
  };

  const definition = protoLoader.fromJSON(SERVICE as unknown as Parameters<typeof protoLoader.fromJSON>[0], { keepCase: true });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as { v1beta1: { KeyManagementService: grpc.ServiceClientConstructor } };
  const server = new grpc.Server();
  type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;
  const version: Unary<unknown, object> = (_call, callback) =>
    callback(null, { version: "v1beta1", runtime_name: "coffer-test-kms", runtime_version: "0.1.0" });
  const encrypt: Unary<{ plain: Buffer }, object> = (call, callback) => {
    calls.encrypt++;
    callback(null, { cipher: seal(call.request.plain) });
  };
  const decrypt: Unary<{ cipher: Buffer }, object> = (call, callback) => {
    calls.decrypt++;
    try {
      callback(null, { plain: open(call.request.cipher) });
    } catch {
      callback({ code: grpc.status.INVALID_ARGUMENT, details: "cannot decrypt: not this plugin's ciphertext" });
    }
  };
  server.addService(loaded.v1beta1.KeyManagementService.service, { Version: version, Encrypt: encrypt, Decrypt: decrypt });
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());

  const base = `coffer-kms-${process.pid}-${randomBytes(8).toString("hex")}-`;
  const name = base.padEnd(ABSTRACT_NAME_LENGTH, "x");
  const listener: NetServer = createServer((socket) => injector.injectConnection(socket));
  await new Promise<void>((resolve, reject) => {
    listener.once("error", reject);
    listener.listen(`\0${name}`, () => resolve());
  });

  return {
    endpoint: `unix:///@${name}`,
    key,
    calls,
    decrypt: open,
    async close() {
      injector.destroy();
      server.forceShutdown();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}
