"""The dashboard at `/_mock/ui`: server-rendered pages (Jinja2 templates) over the running fake,
with one small vendored script (`static/ui.js`, no build step, nothing from the internet) for the
controls and for live updates by server-sent events (`/_mock/ui/stream`).

Pages: accounts → calendars (`/_mock/ui`), a week of one calendar, one event as every registered
provider renders it (`registry.Provider.render_event`), the request journal with filters and
each request's detail, the clock / fault rules / rate budgets / reset with controls, and the
change-notification deliveries when the server has a delivery log (`GET /_mock/deliveries`).
Providers are reached only through the registry."""
