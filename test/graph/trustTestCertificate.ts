import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The fake Microsoft cloud's TLS key and self-signed certificate (for 127.0.0.1 and localhost). */
    fakeCloudTls: { keyFile: string; certFile: string };
  }
}

/**
 * Global setup of the Graph tests: makes a self-signed certificate with openssl and has the test
 * workers trust it. Node reads NODE_EXTRA_CA_CERTS only when a process starts, so it is set here,
 * in the main process, before the project's worker processes (the forks pool) are started with
 * this environment. The real Graph client and @azure/identity then talk real HTTPS to the fake.
 */
export default function trustTestCertificate(project: TestProject): () => void {
  const folder = mkdtempSync(path.join(tmpdir(), 'comms-credits-fake-cloud-'));
  const keyFile = path.join(folder, 'key.pem');
  const certFile = path.join(folder, 'cert.pem');
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl could not make the test certificate: ${made.error?.message ?? made.stderr}`);
  process.env.NODE_EXTRA_CA_CERTS = certFile;
  project.provide('fakeCloudTls', { keyFile, certFile });
  return () => rmSync(folder, { recursive: true, force: true });
}
