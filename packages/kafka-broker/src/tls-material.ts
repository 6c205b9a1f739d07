import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KafkaBrokerError } from './kafka-broker-error.js';

const run = promisify(execFile);

/** Files of a self-signed CA and the broker key pair it signed, as {@link createTlsMaterial} writes them. */
export interface TlsMaterial {
  /** The CA certificate, PEM: what a kafkajs client passes as `ssl: { ca: [pem] }`. */
  readonly caPemFile: string;
  /** PKCS12 keystore with the broker's key and certificate chain (`ssl.keystore.location`). */
  readonly keystoreFile: string;
  /** PKCS12 truststore holding the CA (`ssl.truststore.location`). */
  readonly truststoreFile: string;
  /** Password of both stores (random, local to this data directory). */
  readonly storePassword: string;
}

/** Subject alternative names of the broker certificate: every local cluster listens on loopback. */
const BROKER_NAMES = 'SAN=dns:localhost,ip:127.0.0.1';
const VALIDITY_DAYS = '3650';

/**
 * Creates (once per directory) a self-signed CA and a broker certificate signed by it, with the
 * JDK's `keytool`: PKCS12 keystore and truststore for the broker, and the CA as a PEM file for
 * clients. A directory that already holds the material is reused, so a restarted cluster keeps
 * the CA its clients trust.
 */
export async function createTlsMaterial(directory: string): Promise<TlsMaterial> {
  const material = materialIn(directory);
  const passwordFile = join(directory, 'store-password');
  if (existsSync(material.keystoreFile) && existsSync(passwordFile)) {
    return { ...material, storePassword: (await readFile(passwordFile, 'utf8')).trim() };
  }
  await mkdir(directory, { recursive: true });
  const storePassword = randomBytes(12).toString('hex');
  const steps = keytoolSteps({ ...material, storePassword }, directory);
  for (const args of steps) await keytool(args);
  await writeFile(passwordFile, `${storePassword}\n`, { mode: 0o600 });
  return { ...material, storePassword };
}

function materialIn(directory: string): Omit<TlsMaterial, 'storePassword'> {
  return {
    caPemFile: join(directory, 'ca.pem'),
    keystoreFile: join(directory, 'broker.keystore.p12'),
    truststoreFile: join(directory, 'broker.truststore.p12'),
  };
}

/** The keytool invocations, in order: CA, CA export, broker key, CSR, signing, chain import, truststore. */
export function keytoolSteps(material: TlsMaterial, directory: string): string[][] {
  const caStore = join(directory, 'ca.p12');
  const csr = join(directory, 'broker.csr');
  const signed = join(directory, 'broker.pem');
  const password = material.storePassword;
  const store = (file: string): string[] => ['-keystore', file, '-storetype', 'PKCS12', '-storepass', password];
  const key = ['-keyalg', 'EC', '-groupname', 'secp256r1', '-validity', VALIDITY_DAYS];
  return [
    ['-genkeypair', '-alias', 'ca', ...key, '-dname', 'CN=kstreams local test CA', '-ext', 'bc:c', ...store(caStore), '-keypass', password],
    ['-exportcert', '-rfc', '-alias', 'ca', ...store(caStore), '-file', material.caPemFile],
    ['-genkeypair', '-alias', 'broker', ...key, '-dname', 'CN=localhost', '-ext', BROKER_NAMES, ...store(material.keystoreFile), '-keypass', password],
    ['-certreq', '-alias', 'broker', ...store(material.keystoreFile), '-file', csr],
    ['-gencert', '-alias', 'ca', ...store(caStore), '-infile', csr, '-outfile', signed, '-rfc', '-ext', BROKER_NAMES, '-validity', VALIDITY_DAYS],
    ['-importcert', '-noprompt', '-alias', 'ca', '-file', material.caPemFile, ...store(material.keystoreFile)],
    ['-importcert', '-noprompt', '-alias', 'broker', '-file', signed, ...store(material.keystoreFile)],
    ['-importcert', '-noprompt', '-alias', 'ca', '-file', material.caPemFile, ...store(material.truststoreFile)],
  ];
}

async function keytool(args: string[]): Promise<void> {
  try {
    await run('keytool', args, { timeout: 60_000 });
  } catch (error) {
    const output = error as { code?: string; stdout?: string; stderr?: string };
    if (output.code === 'ENOENT') {
      throw new KafkaBrokerError('keytool is not on the PATH; it ships with the JDK (17+). Install a JDK or put its bin directory on the PATH to start a TLS listener.');
    }
    // No cause and no arguments: the child-process error's command line holds the store password.
    throw new KafkaBrokerError(`keytool ${args[0] ?? ''} failed while creating the local test CA: ${`${output.stdout ?? ''}${output.stderr ?? ''}`.trim()}`);
  }
}
