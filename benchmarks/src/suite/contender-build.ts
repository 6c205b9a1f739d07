/**
 * Compiles the kstreams-side contender entry points to plain JavaScript before a run, so the suite
 * measures what a user runs (compiled JS of the published packages) and not tsx transpiling the
 * TypeScript sources on the fly (about 116 MiB of RSS and start-up CPU, which Java's compiled
 * bytecode does not pay).
 *
 * Each entry is bundled with esbuild — the compiler the packages' own `tsup` builds use, with
 * their settings: ESM, `target: node20`, not minified. The workspace packages (`kstreams`,
 * `@kstreams/*`) are bundled from their sources, which is the code their `dist` holds; every other
 * package (kafkajs, lmdb, @opentelemetry/*, the decompressors) stays an import of its file in
 * `node_modules`, as for an npm-installed user. The contender then runs as `node <file>.js`, with no
 * `--conditions source` and no tsx.
 */
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** True for an import of a workspace package, which is bundled; anything else bare stays external. */
function isWorkspacePackage(specifier: string): boolean {
  return specifier === 'kstreams' || specifier.startsWith('kstreams/') || specifier.startsWith('@kstreams/');
}

/**
 * Keeps third-party packages external, each import pointing at the file it resolves to from the
 * package that imports it (its own node_modules, as for an npm-installed user; under pnpm the
 * benchmarks folder cannot resolve e.g. kafka-protocol's decompressors by name).
 */
const thirdPartyExternal: Plugin = {
  name: 'third-party-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.kind === 'entry-point' || isWorkspacePackage(args.path) || args.pluginData === RESOLVING) return undefined;
      const resolved = await builder.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: RESOLVING });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      // Node built-ins come back external and unresolved; a package comes back as its file's path.
      return { path: resolved.path, external: true };
    });
  },
};
const RESOLVING = Symbol('resolving a third-party import');

/**
 * Where the compiled form of a TypeScript entry goes: `<root>/src/<path>.ts` becomes
 * `<root>/dist/<path>.js` (so its third-party imports resolve from `<root>/node_modules`).
 */
export function compiledEntryPath(entryFile: string): string {
  const marker = `${sep}src${sep}`;
  const at = entryFile.lastIndexOf(marker);
  if (at < 0 || !entryFile.endsWith('.ts')) {
    throw new Error(`contender entry "${entryFile}" is not a .ts file under a src/ folder; give the path of e.g. benchmarks/src/suite/kstreams-app.ts`);
  }
  return `${entryFile.slice(0, at)}${sep}dist${sep}${entryFile.slice(at + marker.length, -'.ts'.length)}.js`;
}

/**
 * Bundles each TypeScript entry to its {@link compiledEntryPath} and returns those paths, in order.
 * One esbuild call per entry (entries of different checkouts resolve their own workspace sources).
 */
export async function compileContenders(entryFiles: readonly string[]): Promise<string[]> {
  const outputs: string[] = [];
  for (const entryFile of entryFiles) {
    const outfile = compiledEntryPath(entryFile);
    await build({
      entryPoints: [entryFile],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      minify: false,
      sourcemap: false,
      // Resolves the workspace packages to their sources at build time only (their dist is the same
      // code compiled by tsup); the compiled file itself runs with no conditions.
      conditions: ['source'],
      plugins: [thirdPartyExternal],
      logLevel: 'warning',
    });
    outputs.push(outfile);
  }
  return outputs;
}

/** This checkout's compiled kstreams-side contenders. */
export interface CompiledContenders {
  /** `dist/suite/kstreams-app.js`: the kstreams contender. */
  readonly kstreamsApp: string;
  /** `dist/suite/raw-kafkajs-app.js`: the raw kafkajs pipe (W1). */
  readonly rawKafkajsApp: string;
}

/** Compiles this checkout's kstreams and raw kafkajs contenders into `benchmarks/dist/suite/` (well under a second). */
export async function compileSuiteContenders(): Promise<CompiledContenders> {
  const entry = (name: string): string => fileURLToPath(new URL(name, import.meta.url));
  const [kstreamsApp, rawKafkajsApp] = await compileContenders([entry('./kstreams-app.ts'), entry('./raw-kafkajs-app.ts')]);
  return { kstreamsApp: kstreamsApp!, rawKafkajsApp: rawKafkajsApp! };
}
