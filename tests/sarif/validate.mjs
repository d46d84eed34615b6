// Validates a SARIF log (argv[2]) against the SARIF 2.1.0 JSON schema that
// @microsoft/jest-sarif ships (draft-04, hence ajv-draft-04; one of its
// patterns is no valid /u expression, hence unicodeRegExp off).  Exit 0 when
// valid, 1 with ajv's errors otherwise.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);
const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);
const log = JSON.parse(readFileSync(process.argv[2], 'utf8'));
if (!validate(log)) {
  console.error(JSON.stringify(validate.errors, null, 1));
  process.exit(1);
}
console.log(`valid SARIF ${log.version}: ${log.runs[0].results.length} results`);
