// Parses iCalendar files with ical.js, the independent peer for OpenBFR's iCalendar writer.
// Usage: node ical-parse.mjs FILE... ; prints one JSON array, one entry per file.
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

const time = (t) => t == null ? null : {
  text: t.toString(),
  isDate: t.isDate,
  tzid: t.timezone ?? t.zone?.tzid ?? null,
  utc: t.isDate ? null : t.toJSDate().toISOString(),
};
const out = [];
for (const path of process.argv.slice(2)) {
  try {
    const root = new ICAL.Component(ICAL.parse(readFileSync(path, 'utf8')));
    for (const tz of root.getAllSubcomponents('vtimezone')) {
      ICAL.TimezoneService.register(tz);
    }
    const events = root.getAllSubcomponents('vevent').map((c) => {
      const e = new ICAL.Event(c);
      return {
        uid: e.uid,
        summary: e.summary,
        description: e.description ?? null,
        location: e.location ?? null,
        sequence: e.sequence,
        dtstamp: c.getFirstPropertyValue('dtstamp')?.toString() ?? null,
        start: time(e.startDate),
        end: time(e.endDate),
        categories: c.getAllProperties('categories').flatMap((p) => p.getValues()),
        alarms: c.getAllSubcomponents('valarm').map((a) => ({
          action: a.getFirstPropertyValue('action'),
          trigger: a.getFirstPropertyValue('trigger')?.toString() ?? null,
          triggerSeconds: a.getFirstPropertyValue('trigger')?.toSeconds?.() ?? null,
          description: a.getFirstPropertyValue('description'),
        })),
      };
    });
    out.push({
      path,
      ok: true,
      prodid: root.getFirstPropertyValue('prodid'),
      version: root.getFirstPropertyValue('version'),
      calscale: root.getFirstPropertyValue('calscale'),
      method: root.getFirstPropertyValue('method'),
      timezones: root.getAllSubcomponents('vtimezone').map((t) => t.getFirstPropertyValue('tzid')),
      events,
    });
  } catch (error) {
    out.push({ path, ok: false, error: String(error?.message ?? error) });
  }
}
process.stdout.write(JSON.stringify(out));
