// Decodes FIT files with Garmin's official FIT JavaScript SDK (@garmin/fitsdk), the independent
// peer for OpenBFR's FIT decoder and encoders. Usage: node fit-decode.mjs [--strings] FILE...
// (--strings: enum values as the SDK's profile names, e.g. durationType "reps").
// Prints one JSON array, one entry per file: checkIntegrity(), errors from read(), and every
// message in file order as {num, fields: {fieldNumber: value}, dev: {"index:field": value}}.
// Values are scaled (applyScaleAndOffset) but not converted to strings or dates.
import { readFileSync } from 'node:fs';
import { Decoder, Stream, Profile } from '@garmin/fitsdk';

const toJson = (v) => typeof v === 'bigint' ? v.toString() : v;
const args = process.argv.slice(2);
const strings = args[0] === '--strings';
const out = [];
for (const path of strings ? args.slice(1) : args) {
  const bytes = readFileSync(path);
  const integrity = new Decoder(Stream.fromBuffer(bytes)).checkIntegrity();
  const isFit = Decoder.isFIT(Stream.fromBuffer(bytes));
  const devKeys = {};
  const messages = [];
  const decoder = new Decoder(Stream.fromBuffer(bytes));
  const { errors } = decoder.read({
    applyScaleAndOffset: true,
    expandSubFields: false,
    expandComponents: false,
    convertTypesToStrings: strings,
    convertDateTimesToDates: false,
    includeUnknownData: true,
    mergeHeartRates: false,
    fieldDescriptionListener: (key, developerDataId, fieldDescription) => {
      devKeys[key] = `${fieldDescription.developerDataIndex}:${fieldDescription.fieldDefinitionNumber}`;
    },
    mesgListener: (num, message) => {
      const profile = Profile.messages[num];
      const byName = {};
      for (const [n, f] of Object.entries(profile?.fields ?? {})) byName[f.name] = n;
      const fields = {};
      for (const [name, value] of Object.entries(message)) {
        if (name === 'developerFields' || name === 'key') continue;
        const n = byName[name] ?? name;
        fields[n] = Array.isArray(value) ? value.map(toJson) : toJson(value);
      }
      const dev = {};
      for (const [key, value] of Object.entries(message.developerFields ?? {})) {
        dev[devKeys[key] ?? key] = Array.isArray(value) ? value.map(toJson) : toJson(value);
      }
      messages.push({ num, name: profile?.name ?? null, fields, dev });
    },
  });
  out.push({ path, isFit, integrity, errors: errors.map(e => String(e.message ?? e)), messages });
}
process.stdout.write(JSON.stringify(out));
