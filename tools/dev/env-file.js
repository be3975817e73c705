// Loads `.env`, or `.env.example` when there is none, into process.env. A variable already
// set in the environment always wins over either file.
const fs = require('node:fs');
const path = require('node:path');

function parseEnvFile(text) {
  const out = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 1) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    out[key] = value;
  }
  return out;
}

function loadEnv(root) {
  const candidates = ['.env', '.env.example'].map((f) => path.join(root, f));
  const file = candidates.find((f) => fs.existsSync(f));
  if (!file) return null;
  const values = parseEnvFile(fs.readFileSync(file, 'utf8'));
  for (const [k, v] of Object.entries(values)) if (process.env[k] === undefined) process.env[k] = v;
  return path.basename(file);
}

module.exports = { loadEnv, parseEnvFile };
