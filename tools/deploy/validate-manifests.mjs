// Validates Kubernetes manifests against the JSON schemas that the kubernetes-models packages
// ship (the Kubernetes OpenAPI for built-in kinds, KEDA's CRDs for keda.sh). Those packages
// are ES modules only, so the Jest specs (CommonJS) run this file as a child process:
//   node tools/deploy/validate-manifests.mjs < manifests.json
// It prints one result per manifest: the schema package used, and the schema errors (none: []).
// A kind no package covers is reported with `package: null` for the caller to check itself.

import process from 'node:process';

const PACKAGES = {
  'keda.sh/v1alpha1': '@kubernetes-models/keda/keda.sh/v1alpha1',
};

function modulePath(apiVersion) {
  if (PACKAGES[apiVersion]) return PACKAGES[apiVersion];
  // Built-in groups: "v1" is the core group, "apps/v1", "networking.k8s.io/v1", …
  if (apiVersion === 'v1' || /^[a-z0-9.]+\/v[0-9a-z]+$/.test(apiVersion)) {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [null, apiVersion];
    if (group === null) return `kubernetes-models/${version}`;
    if (!group.includes('.') || group.endsWith('.k8s.io')) return `kubernetes-models/${group}/${version}`;
  }
  return null;
}

async function validate(manifest) {
  const path = modulePath(manifest.apiVersion);
  if (!path) return { kind: manifest.kind, name: manifest.metadata?.name, package: null, errors: [] };
  const module = await import(path);
  const Model = module[manifest.kind];
  if (!Model)
    return {
      kind: manifest.kind,
      name: manifest.metadata?.name,
      package: path,
      errors: [`no ${manifest.kind} in ${path}`],
    };
  try {
    new Model(manifest).validate();
    return { kind: manifest.kind, name: manifest.metadata?.name, package: path, errors: [] };
  } catch (err) {
    const errors = (err.errors ?? [{ instancePath: '', message: String(err.message ?? err) }]).map(
      (e) => `${e.instancePath || '/'} ${e.message}`,
    );
    return { kind: manifest.kind, name: manifest.metadata?.name, package: path, errors };
  }
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const manifest of JSON.parse(input)) results.push(await validate(manifest));
process.stdout.write(JSON.stringify(results));
