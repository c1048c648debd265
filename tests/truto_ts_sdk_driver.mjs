// Drives the real truto-ts-sdk (2.0.12, bundled from tests/vendor/truto-ts-sdk by
// tests/node_truto.py) against a fake: run by tests/test_truto_ts_sdk.py, it prints one JSON
// object of what the SDK returned.
//
//   TRUTO_TS_SDK=<bundle dir> node truto_ts_sdk_driver.mjs BASE_URL TOKEN ACCOUNT CALENDAR START END WEBHOOK_TARGET
//
// Nothing of the SDK is changed but `baseUrl`; the calls are the ones its README and
// examples/ show. Plain `fetch` is used only for the fake's own control API (queueing a
// provider error before the retry checks).
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'

const bundle = process.env.TRUTO_TS_SDK
const { default: TrutoApi, RequestQueue } = await import(pathToFileURL(join(bundle, 'index.mjs')))
const { TrutoError } = await import(pathToFileURL(join(bundle, 'errors.mjs')))

const [base, token, account, calendar, start, end, target] = process.argv.slice(2)
const truto = new TrutoApi({ token, baseUrl: base })
const out = {}

const ids = items => items.map(item => item.id)

// what a thrown error was: the SDK's TrutoError (status and parsed body) or anything else
async function failure(call) {
  try {
    return { returned: await call() }
  } catch (err) {
    return {
      truto_error: err instanceof TrutoError,
      name: err.name,
      message: err.message,
      statusCode: err.statusCode,
      statusText: err.statusText,
      data: err.data,
      cause: err.cause ? String(err.cause) : undefined,
    }
  }
}

const events = {
  unified_model: 'calendar',
  resource: 'events',
  integrated_account_id: account,
  calendar: { id: calendar },
  start_time: start,
  end_time: end,
}

// -- listing and paging ---------------------------------------------------------------------
const listing = {
  ...events,
  limit: 2,
  truto_exclude_fields: ['attendees', 'description'],
  truto_ignore_remote_data: true,
}
out.iterated = []
for await (const event of truto.unifiedApi.list(listing)) {
  out.iterated.push(event)
}
out.to_array = ids(await truto.unifiedApi.list({ ...events, limit: 3 }).toArray())
out.first = await truto.unifiedApi.list({ ...events, limit: 1 }).first()
const cursor = truto.unifiedApi.list({ ...events, limit: 2 })
const page1 = await cursor.next()
const page2 = await cursor.next()
out.pages = [
  { ids: ids(page1.items), next: page1.nextCursor },
  { ids: ids(page2.items), next: page2.nextCursor },
]
// a Date in the query (qs writes it with toISOString()): the README's `created_at` kind of filter
const since = new Date(Date.parse(start) - 365 * 24 * 3600 * 1000)
out.updated_since = ids(
  await truto.unifiedApi.list({ ...events, limit: 2, updated_at: { gt: since } }).toArray()
)
out.updated_future = ids(
  await truto.unifiedApi
    .list({ ...events, updated_at: { gt: new Date(Date.parse(end) + 365 * 24 * 3600 * 1000) } })
    .toArray()
)
// the README's RequestQueue: the same listing through p-queue
const queue = new RequestQueue(truto, { concurrency: 2, interval: 100, intervalCap: 5 })
out.queued = ids(await queue.unifiedApi.list({ ...events, limit: 2 }).toArray())
out.trailing_slash = ids(
  await new TrutoApi({ token, baseUrl: base + '/' }).unifiedApi.list({ ...events, limit: 2 }).toArray()
)
out.calendars = await truto.unifiedApi
  .list({ unified_model: 'calendar', resource: 'calendars', integrated_account_id: account })
  .toArray()

// -- create, get, update, delete --------------------------------------------------------------
const where = { unified_model: 'calendar', resource: 'events', integrated_account_id: account }
const body = {
  calendar: { id: calendar },
  title: 'Made by truto-ts-sdk',
  description: 'via the TypeScript SDK',
  start_time: start.slice(0, 10) + 'T09:00:00Z',
  end_time: start.slice(0, 10) + 'T09:45:00Z',
  timezone: 'Europe/Berlin',
}
const created = await truto.unifiedApi.create(body, where)
out.created = created
const onCalendar = { ...where, calendar: { id: calendar } }
out.got = await truto.unifiedApi.get(created.id, onCalendar)
out.updated = await truto.unifiedApi.update(
  created.id,
  { ...body, title: 'Renamed by truto-ts-sdk' },
  where
)
out.deleted = await truto.unifiedApi.delete(created.id, onCalendar)
out.get_after_delete = await failure(() => truto.unifiedApi.get(created.id, onCalendar))
out.without_account = await failure(() =>
  truto.unifiedApi.get(created.id, { unified_model: 'calendar', resource: 'events' })
)
out.unknown_resource = await failure(() =>
  truto.unifiedApi.list({ ...where, resource: 'meetings' }).toArray()
)
out.bad_token = await failure(() =>
  new TrutoApi({ token: 'not-a-truto-token', baseUrl: base }).unifiedApi.list(events).first()
)

// -- method metadata --------------------------------------------------------------------------
out.meta_list = await truto.unifiedApi.meta('list', where)
out.meta_create = await truto.unifiedApi.meta('create', where)
out.meta_search = await failure(() => truto.unifiedApi.meta('search', where))

// -- retries (README "Retry Options") against the provider's own errors -----------------------
async function queueRemoteError(status, headers) {
  const response = await fetch(`${base}/_mock/truto/remote_errors`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      integrated_account_id: account,
      status,
      headers,
      body: { error: { code: status, message: 'from the provider' } },
    }),
  })
  if (!response.ok) throw new Error(`queueing a remote error: ${response.status}`)
}
const calendars = { unified_model: 'calendar', resource: 'calendars', integrated_account_id: account }
const retries = []
await queueRemoteError(503, {})
out.retried_503 = ids(
  await truto.unifiedApi
    .list(calendars, { onRetry: (count, status) => retries.push({ count, status }) })
    .toArray()
)
out.retries_503 = retries.splice(0)
const limited = []
await queueRemoteError(429, { 'Retry-After': '1' })
out.retried_429 = ids(
  await truto.unifiedApi
    .list(calendars, {
      onRateLimited: (after, count) => limited.push({ after, count }),
      onRetry: (count, status) => retries.push({ count, status }),
    })
    .toArray()
)
out.rate_limited_429 = limited.splice(0)
out.retries_429 = retries.splice(0)
await queueRemoteError(503, {})
out.no_retry = await failure(() => truto.unifiedApi.list(calendars, { noRetry: true }).toArray())

// -- webhooks (the admin API) -----------------------------------------------------------------
const hooks = {}
const made = await truto.webhook.create({ target_url: target })
hooks.created = made
hooks.listed = ids(await truto.webhook.list().toArray())
hooks.got = await truto.webhook.get(made.id)
hooks.updated = await truto.webhook.update(made.id, { event_types: ['test'] })
// the SDK's test() requests `${baseUrl}webhook/test` (no slash): an invalid URL before any request
hooks.tested = await failure(() => truto.webhook.test({ id: made.id }))
hooks.deleted = await truto.webhook.delete(made.id)
hooks.after_delete = await failure(() => truto.webhook.get(made.id))
out.webhooks = hooks

console.log(JSON.stringify(out))
