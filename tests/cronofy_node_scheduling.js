// Drives the npm `cronofy` package's scheduling calls against a fake, changing nothing but
// `client.urls.api`; prints what each call returned (or the error it raised) as one JSON object.
// Usage: node cronofy_node_scheduling.js <base url> <access token> <client secret> <owner sub>
//          <busy calendar id> <day YYYY-MM-DD>
'use strict';

const Cronofy = require(process.env.CRONOFY_MODULE || 'cronofy');

const [base, token, secret, owner, calendar, day] = process.argv.slice(2);
const at = (hh, mm = '00') => `${day}T${hh}:${mm}:00Z`;

function client(accessToken) {
  const c = new Cronofy({ access_token: accessToken });
  c.urls.api = base; // the only change from production use
  return c;
}

async function failure(promise) {
  try {
    await promise;
    return null;
  } catch (err) {
    return { status: err.statusCode, entity: err.error && err.error.entity };
  }
}

async function main() {
  const c = client(token);
  const out = {};
  const member = { sub: owner, calendar_ids: [calendar] };
  await c.createEvent({
    calendar_id: calendar, event_id: 'node-busy', summary: 'Busy', start: at('10'), end: at('11'),
  });
  const query = {
    participants: [{ members: [member], required: 'all' }],
    required_duration: { minutes: 60 },
    query_periods: [{ start: at('09'), end: at('13') }],
  };
  out.periods = await c.availability(query);
  out.slots = await c.availability({ ...query, response_format: 'slots', start_interval: { minutes: 60 } });
  out.withSecret = await client(secret).availability(query);
  out.sequenced = await c.sequencedAvailability({
    sequence: [
      { sequence_id: 'first', ordinal: 1, participants: query.participants, required_duration: { minutes: 60 } },
      { sequence_id: 'second', ordinal: 2, participants: query.participants, required_duration: { minutes: 30 } },
    ],
    query_periods: query.query_periods,
  });
  const rule = {
    availability_rule_id: 'node-rule',
    tzid: 'Etc/UTC',
    weekly_periods: [{ day: new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' }).toLowerCase(), start_time: '09:00', end_time: '12:00' }],
  };
  out.upsertedRule = await c.upsertAvailabilityRule(rule);
  out.rules = await c.listAvailabilityRules();
  out.readRule = await c.readAvailabilityRule({ availability_rule_id: 'node-rule' });
  out.managed = await c.availability({
    ...query,
    participants: [{ members: [{ sub: owner, managed_availability: true }], required: 'all' }],
  });
  out.deleteRule = await c.deleteAvailabilityRule({ availability_rule_id: 'node-rule' });
  out.rulesAfter = await c.listAvailabilityRules();
  for (const [id, hh] of [['p1', '09'], ['p2', '10'], ['p3', '11']]) {
    await c.upsertAvailablePeriod({ available_period_id: id, start: at(hh), end: at(hh, '30') });
  }
  const first = await c.listAvailablePeriods({ tzid: 'Etc/UTC' });
  out.periodPages = [first];
  if (first.pages.next_page) {
    out.periodPages.push(await c.listAvailablePeriods({ next_page: first.pages.next_page }));
  }
  await c.deleteAvailablePeriods({ available_period_id: 'p1' });
  out.afterDeleteOne = await c.listAvailablePeriods({ tzid: 'Etc/UTC' });
  await c.deleteAvailablePeriods({ delete_all: true });
  out.afterDeleteAll = await c.listAvailablePeriods({});
  out.badQuery = await failure(c.availability({ required_duration: { minutes: 60 } }));
  out.noCredential = await failure(client(undefined).availability(query));
  console.log(JSON.stringify(out));
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});
